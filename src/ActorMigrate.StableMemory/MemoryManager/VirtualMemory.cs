namespace ActorMigrate.StableMemory;

/// <summary>
/// One of a <see cref="MemoryManager"/>'s 255 memories: a contiguous address space made of the buckets
/// the manager gave it. It grows one bucket at a time underneath; <see cref="Grow"/> returns -1 when
/// the manager runs out of buckets, like the Rust library.
/// </summary>
public sealed class VirtualMemory : IMemory
{
    private readonly MemoryManager manager;

    internal VirtualMemory(MemoryManager manager, byte id)
    {
        this.manager = manager;
        Id = id;
    }

    /// <summary>The memory id (0–254).</summary>
    public byte Id { get; }

    public ulong Size => manager.Size(Id);

    public long Grow(ulong pages) => manager.Grow(Id, pages);

    public void Read(ulong offset, Span<byte> destination) => manager.Read(Id, offset, destination);

    public void Write(ulong offset, ReadOnlySpan<byte> source) => manager.Write(Id, offset, source);

    public override string ToString() => $"virtual memory {Id}";
}
