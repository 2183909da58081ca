namespace ActorMigrate.StableMemory;

/// <summary>A single value in stable memory, written on every <see cref="Set"/>: the Rust library's <c>Cell</c>.</summary>
/// <remarks>
/// Layout (little-endian):
/// | offset | size | field                         |
/// |--------|------|-------------------------------|
/// | 0      | 3    | magic "SCL"                   |
/// | 3      | 1    | layout version (1)            |
/// | 4      | 4    | value length N                |
/// | 8      | N    | value bytes                   |
///
/// Bytes after the value (left by an earlier, longer value) are not part of it. The value is decoded
/// once when the cell is opened and kept on the heap, as in Rust; <see cref="Set"/> writes the header and
/// the value again (four writes) and grows the memory when the value no longer fits.
/// </remarks>
public sealed class StableCell<T>
{
    public const byte LayoutVersion = 1;
    private const ulong HeaderSize = 8;

    private readonly IMemory memory;
    private readonly IStorable<T> codec;

    private StableCell(IMemory memory, IStorable<T> codec, T value)
    {
        this.memory = memory;
        this.codec = codec;
        Value = value;
    }

    public IMemory Memory => memory;

    /// <summary>The current value (Rust's <c>get</c>).</summary>
    public T Value { get; private set; }

    /// <summary>Creates a cell holding <paramref name="value"/>, overwriting whatever <paramref name="memory"/> holds.</summary>
    /// <exception cref="GrowFailedException">The memory cannot grow to hold the value.</exception>
    public static StableCell<T> New(IMemory memory, IStorable<T> codec, T value)
    {
        Flush(memory, codec, value);
        return new StableCell<T>(memory, codec, value);
    }

    /// <summary>
    /// Opens the cell <paramref name="memory"/> holds; when the memory is empty or does not start with the
    /// "SCL" magic, writes a new cell holding <paramref name="defaultValue"/> over it. This is the Rust
    /// library's behaviour: a Cell, unlike a Vec, formats over foreign bytes.
    /// </summary>
    /// <exception cref="CorruptMemoryException">The cell has another layout version, or a length beyond the memory.</exception>
    public static StableCell<T> Init(IMemory memory, IStorable<T> codec, T defaultValue)
    {
        if (memory.Size == 0)
        {
            return New(memory, codec, defaultValue);
        }

        Span<byte> magic = stackalloc byte[3];
        Span<byte> version = stackalloc byte[1];
        memory.Read(0, magic);
        memory.Read(3, version);
        var length = memory.ReadU32(4);

        if (!magic.SequenceEqual(LayoutMagic.Cell))
        {
            return New(memory, codec, defaultValue);
        }

        if (version[0] != LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"StableCell layout version {version[0]} at offset 3 is not supported; this library reads version {LayoutVersion}");
        }

        var sizeInBytes = memory.SizeInBytes();
        if (length > sizeInBytes - HeaderSize)
        {
            throw new CorruptMemoryException(
                $"StableCell value length {length} at offset 4 runs beyond the memory of {sizeInBytes} bytes");
        }

        var bytes = new byte[length];
        memory.Read(HeaderSize, bytes);
        return new StableCell<T>(memory, codec, codec.Read(bytes));
    }

    /// <summary>Replaces the value and returns the previous one. When the memory cannot grow, nothing changes.</summary>
    /// <exception cref="GrowFailedException">The memory cannot grow to hold the value.</exception>
    public T Set(T value)
    {
        Flush(memory, codec, value);
        var previous = Value;
        Value = value;
        return previous;
    }

    private static void Flush(IMemory memory, IStorable<T> codec, T value)
    {
        var bytes = codec.ToBytes(value);
        var length = (ulong)bytes.Length;
        var size = memory.Size;

        // Rust grows when the value does not fit after the header, and always on an empty memory.
        if (size == 0 || length > WasmPage.ToBytes(size) - Math.Min(HeaderSize, WasmPage.ToBytes(size)))
        {
            var pages = (length + HeaderSize + WasmPage.SizeInBytes - WasmPage.ToBytes(size) - 1) / WasmPage.SizeInBytes;
            if (memory.Grow(pages) < 0)
            {
                throw new GrowFailedException(
                    $"StableCell could not grow its memory from {size} pages by {pages} to hold a value of {length} bytes");
            }
        }

        memory.Write(0, LayoutMagic.Cell);
        memory.Write(3, [LayoutVersion]);
        memory.WriteU32(4, (uint)length);
        memory.Write(HeaderSize, bytes);
    }
}
