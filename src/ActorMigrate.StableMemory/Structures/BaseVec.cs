using System.Buffers;
using System.Buffers.Binary;

namespace ActorMigrate.StableMemory;

/// <summary>
/// The array of fixed-size slots that <see cref="StableVec{T}"/> and <see cref="StableMinHeap{T}"/> share:
/// the Rust library's <c>BaseVec</c>. The two differ only in their magic.
/// </summary>
/// <remarks>
/// Layout (little-endian):
/// | offset            | size      | field                                                     |
/// |-------------------|-----------|-----------------------------------------------------------|
/// | 0                 | 3         | magic ("SVC" for a Vec, "SMH" for a MinHeap)              |
/// | 3                 | 1         | layout version (1)                                        |
/// | 4                 | 8         | number of elements L                                      |
/// | 12                | 4         | element bound: max size in bytes                          |
/// | 16                | 1         | element bound: fixed-size flag (1 = fixed, 0 = not)       |
/// | 17                | 47        | reserved (zero)                                           |
/// | 64 + i × SLOT     | SLOT      | element i, for i in 0..L                                  |
///
/// SLOT is the element's max size, plus a length prefix when the size is not fixed: 1 byte when
/// the max size is at most 255, 2 bytes (little-endian) up to 65,535, else 4. A fixed-size element
/// has no prefix. Slots past L keep stale bytes; only L says what is live.
/// The length is read from memory on every operation (nothing is cached), as in the Rust library,
/// so the memory accesses per operation are the same: <c>get</c> reads the length, the prefix (if
/// any) and the element; <c>push</c> reads the length, writes the prefix (if any), the element and
/// the new length.
/// </remarks>
internal sealed class BaseVec<T>
{
    public const byte LayoutVersion = 1;
    public const ulong DataOffset = 64;
    private const ulong LengthOffset = 4;
    private const ulong MaxSizeOffset = 12;
    private const ulong FixedSizeOffset = 16;

    /// <summary>Elements up to this size are encoded and decoded on the stack, so get, push and set do not allocate.</summary>
    private const int StackLimit = 256;

    private readonly IMemory memory;
    private readonly IStorable<T> codec;
    private readonly string structureName;
    private readonly uint maxSize;
    private readonly bool isFixedSize;
    private readonly int prefixSize;

    private BaseVec(IMemory memory, IStorable<T> codec, string structureName)
    {
        var bound = codec.Bound;
        if (!bound.IsBounded)
        {
            throw new ArgumentException(
                $"a {structureName} needs an element type with a bounded size, but {typeof(T).Name}'s codec is unbounded",
                nameof(codec));
        }

        this.memory = memory;
        this.codec = codec;
        this.structureName = structureName;
        maxSize = bound.MaxSize;
        isFixedSize = bound.IsFixedSize;
        prefixSize = LengthPrefixSize(bound);
        SlotSize = maxSize + (uint)prefixSize;
    }

    public IMemory Memory => memory;

    /// <summary>Bytes one element occupies: its max size plus its length prefix.</summary>
    public uint SlotSize { get; }

    /// <summary>The length prefix a bound needs: 0 when fixed, else 1, 2 or 4 bytes.</summary>
    public static int LengthPrefixSize(StorableBound bound) =>
        bound.IsFixedSize ? 0 : bound.MaxSize <= byte.MaxValue ? 1 : bound.MaxSize <= ushort.MaxValue ? 2 : 4;

    /// <summary>Writes an empty vector's header over whatever the memory holds.</summary>
    public static BaseVec<T> New(IMemory memory, IStorable<T> codec, ReadOnlySpan<byte> magic, string structureName)
    {
        var vec = new BaseVec<T>(memory, codec, structureName);
        vec.WriteHeader(magic);
        return vec;
    }

    /// <summary>Creates a vector in an empty memory, or opens the one it holds.</summary>
    public static BaseVec<T> Init(IMemory memory, IStorable<T> codec, ReadOnlySpan<byte> magic, string structureName)
    {
        if (memory.Size == 0)
        {
            return New(memory, codec, magic, structureName);
        }

        var vec = new BaseVec<T>(memory, codec, structureName);
        vec.CheckHeader(magic);
        return vec;
    }

    public ulong Count => memory.ReadU64(LengthOffset);

    public bool TryGet(ulong index, out T value)
    {
        if (index < Count)
        {
            value = ReadEntry(index);
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(ulong index, T value)
    {
        var count = Count;
        if (index >= count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(index), $"index {index} is beyond the {structureName}'s {count} elements");
        }

        var size = codec.SizeOf(value);
        var rented = size > StackLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
        try
        {
            var bytes = Encode(value, rented is null ? stackalloc byte[StackLimit] : rented, size);
            var dataOffset = WriteEntrySize(SlotOffset(index), bytes.Length);
            memory.Write(dataOffset, bytes);
        }
        finally
        {
            Return(rented);
        }
    }

    public void Push(T value)
    {
        var index = Count;
        var size = codec.SizeOf(value);
        var rented = size > StackLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
        try
        {
            var bytes = Encode(value, rented is null ? stackalloc byte[StackLimit] : rented, size);
            var dataOffset = WriteEntrySize(SlotOffset(index), bytes.Length);
            GrowingWrite(dataOffset, bytes);
        }
        finally
        {
            Return(rented);
        }

        // The length changes only once the element is in place, so a failed grow leaves the vector as it was.
        SetCount(index + 1);
    }

    public bool TryPop(out T value)
    {
        var count = Count;
        if (count == 0)
        {
            value = default!;
            return false;
        }

        value = ReadEntry(count - 1);
        SetCount(count - 1);
        return true;
    }

    /// <summary>Forgets every element in one write of the length; the slots keep their stale bytes.</summary>
    public void Clear() => SetCount(0);

    public IEnumerable<T> Enumerate()
    {
        for (ulong i = 0; i < Count; i++)
        {
            yield return ReadEntry(i);
        }
    }

    /// <summary>Reads element <paramref name="index"/> without checking it against the length.</summary>
    public T ReadEntry(ulong index)
    {
        var offset = SlotOffset(index);
        var (dataOffset, size) = ReadEntrySize(offset, index);
        var rented = size > StackLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
        try
        {
            var bytes = (rented is null ? stackalloc byte[StackLimit] : rented.AsSpan())[..size];
            memory.Read(dataOffset, bytes);
            return codec.Read(bytes);
        }
        finally
        {
            Return(rented);
        }
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes <paramref name="value"/> into the front of <paramref name="buffer"/>, checked against the codec's bound.</summary>
    private Span<byte> Encode(T value, Span<byte> buffer, int size)
    {
        var bytes = buffer[..size];
        codec.Write(value, bytes);
        codec.CheckBound(size);
        return bytes;
    }

    private void SetCount(ulong count) => memory.WriteU64(LengthOffset, count);

    private ulong SlotOffset(ulong index) => DataOffset + (SlotSize * index);

    private ulong WriteEntrySize(ulong offset, int size)
    {
        switch (prefixSize)
        {
            case 0:
                return offset;
            case 1:
                GrowingWrite(offset, [(byte)size]);
                return offset + 1;
            case 2:
                Span<byte> two = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)size);
                GrowingWrite(offset, two);
                return offset + 2;
            default:
                Span<byte> four = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)size);
                GrowingWrite(offset, four);
                return offset + 4;
        }
    }

    private (ulong DataOffset, int Size) ReadEntrySize(ulong offset, ulong index)
    {
        uint size;
        switch (prefixSize)
        {
            case 0:
                return (offset, (int)maxSize);
            case 1:
                Span<byte> one = stackalloc byte[1];
                memory.Read(offset, one);
                size = one[0];
                break;
            case 2:
                Span<byte> two = stackalloc byte[2];
                memory.Read(offset, two);
                size = BinaryPrimitives.ReadUInt16LittleEndian(two);
                break;
            default:
                size = memory.ReadU32(offset);
                break;
        }

        if (size > maxSize || offset + (ulong)prefixSize + size > memory.SizeInBytes())
        {
            throw new CorruptMemoryException(
                $"{structureName} element {index} at offset {offset} says it is {size} bytes long, but elements are at most {maxSize} bytes and the memory ends at {memory.SizeInBytes()}");
        }

        return (offset + (ulong)prefixSize, (int)size);
    }

    /// <summary>Writes, growing the memory first by just enough pages when the bytes end beyond it (Rust's <c>safe_write</c>).</summary>
    private void GrowingWrite(ulong offset, ReadOnlySpan<byte> bytes) => MemoryGrowth.Write(memory, offset, bytes, structureName);

    private void WriteHeader(ReadOnlySpan<byte> magic)
    {
        GrowingWrite(0, magic);
        memory.Write(3, [LayoutVersion]);
        memory.WriteU64(LengthOffset, 0);
        memory.WriteU32(MaxSizeOffset, maxSize);
        memory.Write(FixedSizeOffset, [isFixedSize ? (byte)1 : (byte)0]);
    }

    private void CheckHeader(ReadOnlySpan<byte> expectedMagic)
    {
        if (memory.SizeInBytes() < DataOffset)
        {
            throw new CorruptMemoryException(
                $"{structureName} header needs {DataOffset} bytes, but the memory has {memory.SizeInBytes()}");
        }

        Span<byte> magic = stackalloc byte[3];
        Span<byte> version = stackalloc byte[1];
        Span<byte> fixedFlag = stackalloc byte[1];
        memory.Read(0, magic);
        memory.Read(3, version);
        var count = memory.ReadU64(LengthOffset);
        var storedMaxSize = memory.ReadU32(MaxSizeOffset);
        memory.Read(FixedSizeOffset, fixedFlag);

        if (!magic.SequenceEqual(expectedMagic))
        {
            throw new CorruptMemoryException(
                $"bad magic at offset 0: found {LayoutMagic.Describe(magic)}, expected {LayoutMagic.Describe(expectedMagic)} of a {structureName}");
        }

        if (version[0] != LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"{structureName} layout version {version[0]} at offset 3 is not supported; this library reads version {LayoutVersion}");
        }

        var storedFixed = fixedFlag[0] != 0;
        if (storedMaxSize != maxSize || storedFixed != isFixedSize)
        {
            var stored = storedFixed ? StorableBound.Bounded(storedMaxSize, true) : StorableBound.Bounded(storedMaxSize);
            throw new IncompatibleElementTypeException(
                $"this {structureName} holds elements bounded to {stored}, but it was opened with {typeof(T).Name} elements bounded to {codec.Bound}");
        }

        // A length whose last element starts beyond the memory can only come from corrupt bytes; refuse it
        // now rather than trap on a later read. (The last slot need not be complete: a push grows the
        // memory only to the end of the bytes it writes.)
        var sizeInBytes = memory.SizeInBytes();
        var smallestEntry = (ulong)prefixSize + (isFixedSize ? maxSize : 0);
        var lastStartLimit = sizeInBytes - DataOffset;
        if (count > 0 && SlotSize > 0 && (lastStartLimit < smallestEntry || (count - 1) > (lastStartLimit - smallestEntry) / SlotSize))
        {
            throw new CorruptMemoryException(
                $"{structureName} length {count} at offset {LengthOffset} puts its last element beyond the memory of {sizeInBytes} bytes (slots of {SlotSize} bytes from offset {DataOffset})");
        }
    }
}
