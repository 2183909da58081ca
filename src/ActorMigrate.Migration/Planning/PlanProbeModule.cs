using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration.Planning;

/// <summary>
/// The canister the planner measures on: u64 keys, byte-array values, a heap store migrating to a stable
/// store through the proxy — the same code paths a real canister's migration takes, metered by the engine.
/// </summary>
public sealed class PlanProbeModule : CanisterModule
{
    public override string Name => "plan-probe";

    public override int Version => 1;

    private static MigrationProxy<ulong, byte[]> Open(Ic0 ic)
    {
        var manager = StableLayout.Manager(ic);
        var heap = HeapStore<ulong, byte[]>.Open(ic, "records", Storable.U64, Storable.Bytes);
        var stable = StableStore<ulong, byte[]>.Open(ic, manager, StableLayout.RecordsMemory, Storable.U64, Storable.Bytes);
        return new MigrationProxy<ulong, byte[]>(ic, heap, stable, MigrationProxy<ulong, byte[]>.OpenState(ic, manager), Storable.U64, Storable.Bytes);
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<(ulong From, int Count, int Size), bool>("fill", (ic, a) =>
        {
            var proxy = Open(ic);
            for (var i = 0; i < a.Count; i++)
            {
                proxy.Insert(a.From + (ulong)i, new byte[a.Size]);
            }

            return true;
        })
        .Update<(ulong Key, int Size), bool>("put", (ic, a) => Open(ic).Insert(a.Key, new byte[a.Size]))
        .Query<object?, long>("open", (ic, _) => Open(ic).State.Steps.GetHashCode())
        .Query<ulong, int>("get", (ic, k) => Open(ic).TryGet(k, out var v) ? v.Length : -1)
        .Update<MigrationDirection, bool>("start", (ic, d) =>
        {
            Open(ic).Start(d, RoutingPolicyKind.DualWrite, StepSizing.Fixed(20));
            return true;
        })
        .Update<int, StepReport>("step", (ic, n) => Open(ic).Step(StepSizing.Fixed(n)))
        .Query<object?, MigrationState>("state", (ic, _) => Open(ic).State);

    public override void PreUpgrade(Ic0 ic)
    {
        var proxy = Open(ic);
        if (proxy.State.Authoritative == SchemaLabel.Heap || proxy.IsRouting)
        {
            var manager = StableLayout.Manager(ic);
            new UpgradeBlob(1, proxy.State.Epoch, ic.Heap.OrderedMap("records", Storable.U64, Storable.Bytes).Serialize())
                .Write(ic.VirtualMemory(manager, StableLayout.UpgradeBlobMemory));
        }
    }

    public override void PostUpgrade(Ic0 ic, object? arg)
    {
        var manager = StableLayout.Manager(ic);
        var blobMemory = ic.VirtualMemory(manager, StableLayout.UpgradeBlobMemory);
        if (UpgradeBlob.Read(blobMemory) is { } blob)
        {
            ic.Heap.OrderedMap("records", Storable.U64, Storable.Bytes).Deserialize(blob.Bytes);
            UpgradeBlob.Consume(blobMemory);
        }

        if (arg is MigrationDirection direction)
        {
            var proxy = Open(ic);
            proxy.Start(direction, RoutingPolicyKind.DualWrite, StepSizing.Fixed(20));
            proxy.RunToEnd();
        }
    }
}
