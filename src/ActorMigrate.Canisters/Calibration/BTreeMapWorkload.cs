using ActorMigrate.StableMemory;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.Canisters.Calibration;

/// <summary>stable-structures' btreemap benchmarks: 10,000 random pairs; insert is measured from empty, the rest after inserting all.</summary>
internal sealed class BTreeMapWorkload(string operation, bool inMemoryManager) : IWorkload
{
    public Func<Ic0, long> Create<K, V>(TypeSpec.Spec<K> key, TypeSpec.Spec<V> value) => ic =>
    {
        var random = new Random(42);
        var pairs = new (K Key, V Value)[CalibrationWorkloads.Operations];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = (key.Next(random), value.Next(random));
        }

        var costs = ic.Costs.BTreeMap;
        var memory = ic.ForStructure(inMemoryManager ? ic.VirtualMemory(MemoryManager.Init(ic.StableMemory), 42) : ic.StableMemory, costs);
        var start = ic.InstructionCounter;
        var map = StableBTreeMap<K, V>.New(memory, key.Codec, value.Codec);
        foreach (var (k, v) in pairs)
        {
            map.Insert(k, v, out _);
            ic.ChargeWasm(costs.Insert);
        }

        if (operation == "insert")
        {
            return ic.InstructionCounter - start;
        }

        start = ic.InstructionCounter;
        foreach (var (k, _) in pairs)
        {
            _ = operation switch
            {
                "get" => map.TryGetValue(k, out _),
                "contains" => map.ContainsKey(k),
                _ => map.Remove(k),
            };
            ic.ChargeWasm(operation == "remove" ? costs.Remove : costs.Get);
        }

        return ic.InstructionCounter - start;
    };
}
