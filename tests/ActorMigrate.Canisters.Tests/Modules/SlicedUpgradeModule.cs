using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// A module whose post_upgrade writes a heap cell and stable memory and then burns the instructions it is
/// given (an upgrade longer than a slice). <c>onPostUpgrade</c> is a test probe called each time the body
/// runs, committed or not: it counts outside the canister's state, so no rollback resets it.
/// </summary>
public sealed class SlicedUpgradeModule : CanisterModule
{
    private readonly int version;
    private readonly ulong value;
    private readonly Action? onPostUpgrade;

    public SlicedUpgradeModule(int version, ulong value, Action? onPostUpgrade = null)
    {
        this.version = version;
        this.value = value;
        this.onPostUpgrade = onPostUpgrade;
    }

    public override string Name => "sliced-upgrade";

    public override int Version => version;

    private static HeapCell<ulong> Value(Ic0 ic) => ic.Heap.Cell("value", Storable.U64, 0UL);

    public override void Init(Ic0 ic, object? arg) => Write(ic);

    public override void PostUpgrade(Ic0 ic, object? arg)
    {
        onPostUpgrade?.Invoke();
        Write(ic);
        ic.ChargeWasm(arg is long burn ? burn : 0);
    }

    private void Write(Ic0 ic)
    {
        Value(ic).Set(value);
        if (ic.StableSize() == 0)
        {
            ic.StableGrow(1);
        }

        ic.StableMemory.WriteU64(0, value);
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Query<object?, ulong>("heap_value", (ic, _) => Value(ic).Get())
        .Query<object?, ulong>("stable_value", (ic, _) => ic.StableMemory.ReadU64(0))
        .Query<object?, int>("version", (_, _) => version);
}
