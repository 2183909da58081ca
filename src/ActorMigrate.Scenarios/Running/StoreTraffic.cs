using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// Calls served by each store, counted by the routing rules of docs/migration.md applied to the
/// migration state after the round (traffic never moves the pointer or the phase; only steps do, and
/// they run before the round's messages). v1 and v2 serve everything from the heap. A dual write counts
/// for both stores. (MigrationProxy keeps no counters on this branch; when it does, read them instead.)
/// </summary>
public sealed record StoreTraffic(long HeapReads, long HeapWrites, long StableReads, long StableWrites)
{
    public static StoreTraffic None { get; } = new(0, 0, 0, 0);

    public StoreTraffic Plus(StoreTraffic other) =>
        new(HeapReads + other.HeapReads, HeapWrites + other.HeapWrites, StableReads + other.StableReads, StableWrites + other.StableWrites);

    /// <summary>The stores <paramref name="calls"/> touched on a canister running <paramref name="moduleVersion"/> in <paramref name="state"/>.</summary>
    public static StoreTraffic Of(IEnumerable<TrafficCall> calls, int moduleVersion, MigrationState? state)
    {
        long heapReads = 0, heapWrites = 0, stableReads = 0, stableWrites = 0;
        foreach (var call in calls)
        {
            var (heap, stable) = moduleVersion < 3 || state is null ? (true, false) : Stores(call, state);
            if (call.IsWrite)
            {
                heapWrites += heap ? 1 : 0;
                stableWrites += stable ? 1 : 0;
            }
            else
            {
                heapReads += heap ? 1 : 0;
                stableReads += stable ? 1 : 0;
            }
        }

        return new StoreTraffic(heapReads, heapWrites, stableReads, stableWrites);
    }

    private static (bool Heap, bool Stable) Stores(TrafficCall call, MigrationState state)
    {
        (bool, bool) Only(SchemaLabel schema) => schema == SchemaLabel.Heap ? (true, false) : (false, true);
        var pointerRouted = state.Policy == RoutingPolicyKind.PointerRouted;
        var routing = state.Phase == MigrationPhase.Migrating || (state.Phase == MigrationPhase.Aborted && pointerRouted);
        if (!routing)
        {
            return Only(state.Authoritative);
        }

        var migrated = state.Pointer is not null && AccountCodec.Keys.Compare(call.Principal, AccountCodec.Keys.Read(state.Pointer)) <= 0;
        if (pointerRouted)
        {
            return Only(migrated ? state.TargetSchema : state.SourceSchema);
        }

        // Dual-write: reads from the source; writes to the source and, at or below the pointer, the target.
        return call.IsWrite && migrated ? (true, true) : Only(state.SourceSchema);
    }
}
