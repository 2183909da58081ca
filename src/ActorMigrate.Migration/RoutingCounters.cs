namespace ActorMigrate.Migration;

/// <summary>
/// How many of a canister's store operations each store served while a proxy routed them: a read
/// (get, contains, first, last, range, count) counts once for every store it consulted, a write
/// (insert, remove) once for every store it changed. A host (the ProxyActor) attaches one to a canister
/// (<see cref="Canisters.Canister.HostContext"/>) and every <see cref="MigrationProxy{K,V}"/> opened in
/// that canister's executions counts into it. Counting charges nothing: metering is unchanged.
/// </summary>
/// <remarks>
/// Operations of an execution that later traps are counted too (they were served; the trap discarded
/// their effect). Migration steps are not consumer operations and are not counted here; their progress
/// is in <see cref="MigrationState"/>.
/// </remarks>
public sealed class RoutingCounters
{
    public long HeapReads { get; private set; }

    public long HeapWrites { get; private set; }

    public long StableReads { get; private set; }

    public long StableWrites { get; private set; }

    internal void Served(SchemaLabel store, bool write)
    {
        if (store == SchemaLabel.Stable)
        {
            if (write)
            {
                StableWrites++;
            }
            else
            {
                StableReads++;
            }
        }
        else if (write)
        {
            HeapWrites++;
        }
        else
        {
            HeapReads++;
        }
    }
}
