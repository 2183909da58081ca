using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.StableMemory.BTreeMap;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>A canister keeping a StableBTreeMap in virtual memory 1 of a MemoryManager, on the execution's view of stable memory.</summary>
public sealed class StableMapModule : CanisterModule
{
    public override string Name => "stable-map";

    public override int Version => 1;

    private static StableBTreeMap<ulong, ulong> Map(Ic0 ic)
    {
        var manager = MemoryManager.HasMagic(ic.StableMemory) || ic.StableSize() > 0
            ? MemoryManager.Load(ic.StableMemory)
            : MemoryManager.Init(ic.StableMemory);
        return StableBTreeMap<ulong, ulong>.Init(ic.ForStructure(ic.VirtualMemory(manager, 1), ic.Costs.BTreeMap), Storable.U64, Storable.U64);
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<(ulong From, int Count, bool Trap), long>("insert", (ic, a) =>
        {
            var map = Map(ic);
            for (var i = 0; i < a.Count; i++)
            {
                map.Insert(a.From + (ulong)i, (ulong)i, out _);
                ic.ChargeWasm(ic.Costs.BTreeMap.Insert);
            }

            if (a.Trap)
            {
                ic.Trap("insert refused");
            }

            return (long)map.LongCount;
        })
        .Query<object?, long>("count", (ic, _) => (long)Map(ic).LongCount);
}

public sealed class StableStructureTests
{
    [Fact]
    public void A_stable_btreemap_runs_on_the_execution_view_and_a_trap_discards_its_pages()
    {
        var (ic, id) = Fixture.Installed(new StableMapModule());
        Assert.Equal(1_000L, ic.Update<long>(id, "insert", (0UL, 1_000, false)));
        var image = ic.StableMemoryImage(id);

        var result = ic.TryUpdate(id, "insert", (5_000UL, 2_000, true));

        Assert.Equal(ErrorCode.CanisterCalledTrap, result.Reject!.Code);
        Assert.Equal(image, ic.StableMemoryImage(id));
        Assert.Equal(1_000L, ic.Query<long>(id, "count"));
        Assert.True(ic.Report(id).LastInstructionsUsed > 0);
    }

    [Fact]
    public void Heap_container_operations_are_metered_by_the_cost_model()
    {
        var (ic, id) = Fixture.Installed();
        var costs = new CostModel();
        ic.Update<bool>(id, "put", (1UL, 100)); // creates the map

        ic.Update<bool>(id, "put", (2UL, 100));

        Assert.Equal(costs.ExecutionBase + costs.HeapMapInsert + costs.HeapInstructionsPerByte * 108, ic.Report(id).LastInstructionsUsed);
    }
}
