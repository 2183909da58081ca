namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>A memory that counts the reads and writes reaching it, as the engine's metering will.</summary>
internal sealed class CountingMemory(IMemory inner) : IMemory
{
    public List<string> Log { get; } = [];

    public int Reads { get; private set; }

    public long BytesRead { get; private set; }

    public int Writes { get; private set; }

    public ulong Size => inner.Size;

    public long Grow(ulong pages) => inner.Grow(pages);

    public void Read(ulong offset, Span<byte> destination)
    {
        Reads++;
        Log.Add($"{offset}+{destination.Length}");
        BytesRead += destination.Length;
        inner.Read(offset, destination);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        Writes++;
        inner.Write(offset, source);
    }

    public void Reset()
    {
        Reads = 0;
        Log.Clear();
        BytesRead = 0;
        Writes = 0;
    }
}
