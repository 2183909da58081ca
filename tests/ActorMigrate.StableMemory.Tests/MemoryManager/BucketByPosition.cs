namespace ActorMigrate.StableMemory.Tests.MemoryManager;

using Manager = ActorMigrate.StableMemory.MemoryManager;

/// <summary>
/// A deliberately broken manager for the property to catch: it keeps the real manager's sizes and
/// bucket allocation but maps a memory's i-th bucket to bucket i of the whole memory, ignoring which
/// buckets the memory owns. With a single memory it even looks right.
/// </summary>
internal sealed class BucketByPosition(Manager manager, int id) : IMemory
{
    public static Func<int, IMemory> Open(IMemory memory, ushort bucketSize)
    {
        var manager = Manager.Init(memory, bucketSize);
        return id => new BucketByPosition(manager, id);
    }

    private readonly IMemory real = manager.Get(id);

    public ulong Size => real.Size;

    public long Grow(ulong pages) => real.Grow(pages);

    public void Read(ulong offset, Span<byte> destination)
    {
        MemoryExtensions.CheckBounds(offset, destination.Length, this.SizeInBytes());
        manager.Memory.Read(WasmPage.SizeInBytes + offset, destination);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        MemoryExtensions.CheckBounds(offset, source.Length, this.SizeInBytes());
        manager.Memory.Write(WasmPage.SizeInBytes + offset, source);
    }
}
