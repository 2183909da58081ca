namespace ActorMigrate.StableMemory.Tests.MemoryManager;

/// <summary>The model: each virtual memory is a plain byte array of its size.</summary>
public sealed class VirtualMemoryModel
{
    private readonly Dictionary<int, byte[]> memories = [];

    public byte[] Of(int id) => memories.TryGetValue(id, out var bytes) ? bytes : [];

    public long Grow(int id, int pages)
    {
        var old = Of(id);
        var grown = new byte[old.Length + pages * 65_536];
        old.CopyTo(grown, 0);
        memories[id] = grown;
        return old.Length / 65_536;
    }

    public bool InBounds(int id, ulong offset, int length) => offset + (ulong)length <= (ulong)Of(id).Length;
}
