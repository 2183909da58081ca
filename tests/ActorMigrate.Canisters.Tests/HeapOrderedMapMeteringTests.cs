using ActorMigrate.StableMemory;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// An ordered map charges a read by the size of the value it holds now. It keeps each entry's size from
/// its insert, so an overwrite, a removal and a rolled-back overwrite must each leave the right size behind.
/// </summary>
public sealed class HeapOrderedMapMeteringTests
{
    private sealed class SizedValues : CanisterModule
    {
        public override string Name => "sized-values";

        public override int Version => 1;

        private static HeapOrderedMap<ulong, byte[]> Map(Ic0 ic) => ic.Heap.OrderedMap("values", Storable.U64, Storable.Bytes);

        protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
            .Update<(ulong Key, int Length, bool Trap), bool>("put", (ic, a) =>
            {
                var added = Map(ic).Insert(a.Key, new byte[a.Length]);
                if (a.Trap)
                {
                    ic.Trap("the put traps after its write");
                }

                return added;
            })
            .Update<ulong, bool>("remove", (ic, key) => Map(ic).Remove(key))
            .Update<ulong, int>("get", (ic, key) => Map(ic).TryGet(key, out var value) ? value.Length : -1)
            .Update<object?, int>("scan", (ic, _) => Map(ic).Range(0UL, 10).Count);
    }

    [Fact]
    public void Reads_are_charged_by_the_value_the_map_holds_after_overwrites_removals_and_rollbacks()
    {
        var (ic, id) = Fixture.Installed(new SizedValues());
        var costs = new CostModel();
        long Read(ulong key)
        {
            ic.Update<int>(id, "get", key);
            return ic.Report(id).LastInstructionsUsed - costs.ExecutionBase - costs.HeapMapGet;
        }

        ic.Update<bool>(id, "put", (1UL, 10, false));
        ic.Update<bool>(id, "put", (2UL, 40, false));
        Assert.Equal(costs.HeapInstructionsPerByte * 10, Read(1));

        ic.Update<bool>(id, "put", (1UL, 300, false));
        Assert.Equal(costs.HeapInstructionsPerByte * 300, Read(1));

        Assert.NotNull(ic.TryUpdate(id, "put", (1UL, 5_000, true)).Reject);
        Assert.Equal(costs.HeapInstructionsPerByte * 300, Read(1));

        ic.Update<int>(id, "scan", null);
        Assert.Equal(costs.ExecutionBase + (2 * costs.HeapMapGet) + (costs.HeapInstructionsPerByte * 340), ic.Report(id).LastInstructionsUsed);

        ic.Update<bool>(id, "remove", 1UL);
        Assert.Equal(0, Read(1));
        Assert.Equal(costs.HeapInstructionsPerByte * 40, Read(2));
    }
}
