namespace ActorMigrate.StableMemory.Conformance;

/// <summary>What a driver sees while a case runs: the memories by id and the structures it opened.</summary>
public sealed class ConformanceContext(Func<string, IMemory> memoryById)
{
    /// <summary>The memory an id names: <c>raw</c> is the underlying memory, 0–254 a virtual memory.</summary>
    public IMemory Memory(string id) => memoryById(id);

    /// <summary>Structures a driver opened, keyed as the driver likes (for example "btree 2").</summary>
    public Dictionary<string, object> Structures { get; } = [];
}
