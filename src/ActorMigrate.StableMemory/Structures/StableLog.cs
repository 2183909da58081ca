using System.Collections;

namespace ActorMigrate.StableMemory;

/// <summary>
/// An append-only list of variable-size entries over two independently growing memories: the Rust
/// library's <c>Log</c>. The index memory records where each entry ends; the data memory holds the bytes.
/// </summary>
/// <remarks>
/// Index memory layout (little-endian):
/// | offset      | size | field                                              |
/// |-------------|------|----------------------------------------------------|
/// | 0           | 3    | magic "GLI"                                        |
/// | 3           | 1    | layout version (1)                                 |
/// | 4           | 28   | reserved                                           |
/// | 32          | 8    | number of entries L                                |
/// | 40 + 8 × i  | 8    | end of entry i: E_0 + … + E_i (relative to 32 in data) |
///
/// Data memory layout:
/// | offset      | size | field                                              |
/// |-------------|------|----------------------------------------------------|
/// | 0           | 3    | magic "GLD"                                        |
/// | 3           | 1    | layout version (1)                                 |
/// | 4           | 28   | reserved                                           |
/// | 32 + start  | E_i  | entry i, where start is the end of entry i−1 (0 for i = 0) |
///
/// Index slots past L and data past the last end keep stale bytes. An append writes the data first,
/// then the index slot, then the count, so a failed grow never leaves an index pointing at nothing.
/// </remarks>
public sealed class StableLog<T> : IEnumerable<T>
{
    public const byte LayoutVersion = 1;

    /// <summary>Where the count sits in the index memory and the first entry in the data memory.</summary>
    private const ulong HeaderOffset = 32;
    private const ulong FirstIndexSlot = HeaderOffset + 8;
    private const string Name = "StableLog";

    private readonly IStorable<T> codec;

    private StableLog(IMemory indexMemory, IMemory dataMemory, IStorable<T> codec)
    {
        IndexMemory = indexMemory;
        DataMemory = dataMemory;
        this.codec = codec;
    }

    public IMemory IndexMemory { get; }

    public IMemory DataMemory { get; }

    /// <summary>Creates an empty log, overwriting whatever the two memories hold.</summary>
    /// <exception cref="GrowFailedException">A memory cannot grow to its first page.</exception>
    public static StableLog<T> New(IMemory indexMemory, IMemory dataMemory, IStorable<T> codec)
    {
        WriteHeader(indexMemory, LayoutMagic.LogIndex, "index");
        WriteHeader(dataMemory, LayoutMagic.LogData, "data");
        indexMemory.WriteU64(HeaderOffset, 0);
        return new StableLog<T>(indexMemory, dataMemory, codec);
    }

    /// <summary>
    /// Opens the log the two memories hold. When the data memory is empty or does not start with "GLD",
    /// the index is meaningless and a new empty log is written over both (the Rust library's behaviour).
    /// </summary>
    /// <exception cref="CorruptMemoryException">
    /// A layout version other than 1, an index memory without "GLI" beside a valid data memory, a count beyond
    /// the index memory, or a last entry ending beyond the data memory.
    /// </exception>
    public static StableLog<T> Init(IMemory indexMemory, IMemory dataMemory, IStorable<T> codec)
    {
        if (dataMemory.Size == 0)
        {
            return New(indexMemory, dataMemory, codec);
        }

        var (dataMagic, dataVersion) = ReadHeader(dataMemory);
        if (!dataMagic.AsSpan().SequenceEqual(LayoutMagic.LogData))
        {
            return New(indexMemory, dataMemory, codec);
        }

        if (dataVersion != LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"{Name} data memory has layout version {dataVersion} at offset 3; this library reads version {LayoutVersion}");
        }

        if (indexMemory.SizeInBytes() < FirstIndexSlot)
        {
            throw new CorruptMemoryException(
                $"{Name} data memory holds a log, but its index memory has only {indexMemory.SizeInBytes()} bytes, not even a header");
        }

        var (indexMagic, indexVersion) = ReadHeader(indexMemory);
        if (!indexMagic.AsSpan().SequenceEqual(LayoutMagic.LogIndex))
        {
            throw new CorruptMemoryException(
                $"{Name} index memory starts with {LayoutMagic.Describe(indexMagic)} at offset 0, not \"GLI\", beside a valid data memory (an invalid index)");
        }

        if (indexVersion != LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"{Name} index memory has layout version {indexVersion} at offset 3; this library reads version {LayoutVersion}");
        }

        var log = new StableLog<T>(indexMemory, dataMemory, codec);
        log.CheckExtent();
        return log;
    }

    /// <summary>The number of entries.</summary>
    public ulong Count => IndexMemory.ReadU64(HeaderOffset);

    public bool IsEmpty => Count == 0;

    /// <summary>Bytes of all entries together.</summary>
    public ulong LogSizeInBytes
    {
        get
        {
            var count = Count;
            return count == 0 ? 0 : IndexMemory.ReadU64(IndexSlot(count - 1));
        }
    }

    /// <summary>Appends an entry and returns its index.</summary>
    /// <exception cref="GrowFailedException">A memory cannot grow; the log is unchanged.</exception>
    public ulong Append(T value)
    {
        var index = Count;
        var start = index == 0 ? 0 : IndexMemory.ReadU64(IndexSlot(index - 1));
        var bytes = codec.ToBytes(value);
        var end = checked(start + (ulong)bytes.Length);

        MemoryGrowth.Write(DataMemory, checked(HeaderOffset + start), bytes, $"{Name} data");
        Span<byte> endBytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(endBytes, end);
        MemoryGrowth.Write(IndexMemory, IndexSlot(index), endBytes, $"{Name} index");
        IndexMemory.WriteU64(HeaderOffset, index + 1);
        return index;
    }

    /// <summary>The entry at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public T Get(ulong index) =>
        TryGet(index, out var value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is beyond the {Name}'s {Count} entries");

    public bool TryGet(ulong index, out T value)
    {
        var bytes = ReadEntry(index);
        if (bytes is null)
        {
            value = default!;
            return false;
        }

        value = codec.Read(bytes);
        return true;
    }

    /// <summary>The raw bytes of entry <paramref name="index"/>, or null when there is no such entry.</summary>
    /// <exception cref="CorruptMemoryException">The index says the entry ends before it starts or beyond the data memory.</exception>
    public byte[]? ReadEntry(ulong index)
    {
        if (index >= Count)
        {
            return null;
        }

        ulong start, end;
        if (index == 0)
        {
            start = 0;
            end = IndexMemory.ReadU64(IndexSlot(0));
        }
        else
        {
            start = IndexMemory.ReadU64(IndexSlot(index - 1));
            end = IndexMemory.ReadU64(IndexSlot(index));
        }

        var available = DataMemory.SizeInBytes() - HeaderOffset;
        if (end < start || end > available || end - start > int.MaxValue)
        {
            throw new CorruptMemoryException(
                $"{Name} index slot {index} at offset {IndexSlot(index)} says entry {index} spans [{start}, {end}) of the data, but entries must not shrink and the data memory holds {available} bytes after its header");
        }

        var bytes = new byte[end - start];
        DataMemory.Read(HeaderOffset + start, bytes);
        return bytes;
    }

    /// <summary>
    /// Forgets every entry (one write of the count). Both memories keep their size and stale bytes; the next
    /// append starts at the beginning of the data again.
    /// </summary>
    public void Clear() => IndexMemory.WriteU64(HeaderOffset, 0);

    public IEnumerator<T> GetEnumerator()
    {
        for (ulong i = 0; ReadEntry(i) is { } bytes; i++)
        {
            yield return codec.Read(bytes);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ulong IndexSlot(ulong index) => checked(FirstIndexSlot + (8 * index));

    private static void WriteHeader(IMemory memory, ReadOnlySpan<byte> magic, string which)
    {
        if (memory.Size < 1 && memory.Grow(1) < 0)
        {
            throw new GrowFailedException($"{Name} {which} memory could not grow to its first page");
        }

        memory.Write(0, magic);
        memory.Write(3, [LayoutVersion]);
    }

    private static (byte[] Magic, byte Version) ReadHeader(IMemory memory)
    {
        var magic = new byte[3];
        Span<byte> version = stackalloc byte[1];
        memory.Read(0, magic);
        memory.Read(3, version);
        return (magic, version[0]);
    }

    /// <summary>
    /// Checks in O(1) that the count fits the index memory and the last entry fits the data memory, so that a
    /// corrupt header is refused when the log is opened. (Rust checks the whole index only in debug builds.)
    /// </summary>
    private void CheckExtent()
    {
        var count = Count;
        var indexBytes = IndexMemory.SizeInBytes();
        if (count > (indexBytes - FirstIndexSlot) / 8)
        {
            throw new CorruptMemoryException(
                $"{Name} count {count} at index offset {HeaderOffset} needs {count} index slots, but the index memory of {indexBytes} bytes holds {(indexBytes - FirstIndexSlot) / 8}");
        }

        if (count == 0)
        {
            return;
        }

        var end = IndexMemory.ReadU64(IndexSlot(count - 1));
        var available = DataMemory.SizeInBytes() - HeaderOffset;
        if (end > available)
        {
            throw new CorruptMemoryException(
                $"{Name} index slot {count - 1} at offset {IndexSlot(count - 1)} says the entries end at {end}, beyond the data memory's {available} bytes after its header");
        }
    }
}
