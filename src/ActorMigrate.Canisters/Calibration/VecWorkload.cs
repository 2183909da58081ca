using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Calibration;

/// <summary>stable-structures' vec benchmarks: push 10,000 random items, or read them back by index after pushing.</summary>
internal sealed class VecWorkload(string operation) : IWorkload
{
    public Func<Ic0, long> Create<K, V>(TypeSpec.Spec<K> item, TypeSpec.Spec<V> unused) => ic =>
    {
        var random = new Random(42);
        var items = new K[CalibrationWorkloads.Operations];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = item.Next(random);
        }

        var start = ic.InstructionCounter;
        var costs = ic.Costs.Vec;
        var vec = StableVec<K>.New(ic.ForStructure(ic.StableMemory, costs), item.Codec);
        foreach (var value in items)
        {
            vec.Push(value);
            ic.ChargeWasm(costs.Insert);
        }

        if (operation == "insert")
        {
            return ic.InstructionCounter - start;
        }

        start = ic.InstructionCounter;
        for (ulong i = 0; i < (ulong)items.Length; i++)
        {
            vec.Get(i);
            ic.ChargeWasm(costs.Get);
        }

        return ic.InstructionCounter - start;
    };
}
