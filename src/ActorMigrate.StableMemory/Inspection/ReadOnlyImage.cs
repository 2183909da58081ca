namespace ActorMigrate.StableMemory.Inspection;

/// <summary>
/// A memory that refuses every write and grow: inspection opens structures through it, so a report can
/// never come from bytes the inspection itself changed.
/// </summary>
internal sealed class ReadOnlyImage(IMemory inner) : IMemory
{
    public ulong Size => inner.Size;

    public long Grow(ulong pages) =>
        throw new InvalidOperationException($"inspection never grows a memory (asked to grow {pages} pages)");

    public void Read(ulong offset, Span<byte> destination) => inner.Read(offset, destination);

    public void Write(ulong offset, ReadOnlySpan<byte> source) =>
        throw new InvalidOperationException($"inspection never writes (asked to write {source.Length} bytes at offset {offset})");
}
