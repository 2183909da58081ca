using System.Globalization;

namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// The memories a case names: <c>raw</c> is the underlying memory, 0–254 the virtual memories of the
/// MemoryManager on it (created by the case's first line or a <c>manager init</c> line, or loaded from
/// an image when it is read back).
/// </summary>
internal sealed class ConformanceMemories(SparseMemory underlying, bool loadManagerOnDemand)
{
    private MemoryManager? manager;

    public SparseMemory Underlying { get; } = underlying;

    public void InitManager(ushort bucketSizeInPages) => manager = MemoryManager.Init(Underlying, bucketSizeInPages);

    public IMemory Memory(string id)
    {
        if (id == "raw")
        {
            return Underlying;
        }

        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var memoryId) || memoryId > 254)
        {
            throw new ConformanceFormatException($"memory id '{id}' is neither 'raw' nor 0–254");
        }

        if (manager is null)
        {
            manager = loadManagerOnDemand
                ? MemoryManager.Load(Underlying)
                : throw new ConformanceFormatException($"memory id {memoryId} names a virtual memory, but no MemoryManager was initialised");
        }

        return manager.Get(memoryId);
    }
}
