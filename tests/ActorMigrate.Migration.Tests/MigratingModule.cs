using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration.Tests;

/// <summary>
/// A minimal canister with a u64 → u64 store migrating from heap to stable; with <c>corruptKey</c> set,
/// its stable store corrupts the value of that key on every insert.
/// </summary>
public sealed class MigratingModule(ulong? corruptKey = null) : CanisterModule
{
    private readonly ulong corrupt = corruptKey ?? ulong.MaxValue;
    private readonly bool corrupting = corruptKey is not null;

    public override string Name => "migrating";

    public override int Version => 1;

    private MigrationProxy<ulong, ulong> Open(Ic0 ic)
    {
        var manager = StableLayout.Manager(ic);
        var heap = HeapStore<ulong, ulong>.Open(ic, "records", Storable.U64, Storable.U64);
        IStore<ulong, ulong> stable = StableStore<ulong, ulong>.Open(ic, manager, StableLayout.RecordsMemory, Storable.U64, Storable.U64);
        if (corrupting)
        {
            stable = new CorruptingStore(stable, corrupt);
        }

        return new MigrationProxy<ulong, ulong>(ic, heap, stable, MigrationProxy<ulong, ulong>.OpenState(ic, manager), Storable.U64, Storable.U64);
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<(ulong Key, ulong Value), bool>("put", (ic, a) => Open(ic).Insert(a.Key, a.Value))
        .Update<ulong, bool>("remove", (ic, k) => Open(ic).Remove(k))
        .Update<RoutingPolicyKind, MigrationState>("start", (ic, policy) =>
        {
            var proxy = Open(ic);
            proxy.Start(MigrationDirection.HeapToStable, policy, StepSizing.Fixed(3));
            return proxy.State;
        })
        .Update<int, StepReport>("step", (ic, n) => Open(ic).Step(StepSizing.Fixed(n)))
        .Query<ulong, ulong?>("get", (ic, k) => Open(ic).TryGet(k, out var v) ? v : null)
        .Query<object?, MigrationState>("state", (ic, _) => Open(ic).State)
        .Query<object?, List<KeyValuePair<ulong, ulong>>>("all", (ic, _) => Open(ic).Entries().ToList());
}
