using System.Buffers.Binary;
using System.Text;

namespace ActorMigrate.StableMemory;

/// <summary>The codecs of the Rust library's built-in <c>Storable</c> types, with the same encodings.</summary>
public static class Storable
{
    /// <summary><c>u64</c>: 8 bytes big-endian, fixed size (so byte order is numeric order).</summary>
    public static IStorable<ulong> U64 { get; } = new U64Codec();

    /// <summary><c>u32</c>: 4 bytes big-endian, fixed size.</summary>
    public static IStorable<uint> U32 { get; } = new U32Codec();

    /// <summary><c>Vec&lt;u8&gt;</c>: the bytes themselves, unbounded.</summary>
    public static IStorable<byte[]> Bytes { get; } = new BytesCodec();

    /// <summary><c>String</c>: UTF-8, unbounded, ordered by bytes like Rust's <c>str</c>.</summary>
    public static IStorable<string> String { get; } = new StringCodec();

    /// <summary><c>Blob&lt;N&gt;</c>: at most <paramref name="maxSize"/> bytes, not fixed size.</summary>
    public static IStorable<Blob> Blob(uint maxSize) => new BlobCodec(maxSize);

    private sealed class U64Codec : IStorable<ulong>
    {
        public StorableBound Bound { get; } = StorableBound.Bounded(8, isFixedSize: true);

        public bool OrdersByEncoding => true;

        public int SizeOf(ulong value) => 8;

        public void Write(ulong value, Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);

        public ulong Read(ReadOnlySpan<byte> source) =>
            source.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(source) : throw WrongLength("u64", 8, source.Length);

        public int Compare(ulong x, ulong y) => x.CompareTo(y);
    }

    private sealed class U32Codec : IStorable<uint>
    {
        public StorableBound Bound { get; } = StorableBound.Bounded(4, isFixedSize: true);

        public bool OrdersByEncoding => true;

        public int SizeOf(uint value) => 4;

        public void Write(uint value, Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, value);

        public uint Read(ReadOnlySpan<byte> source) =>
            source.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(source) : throw WrongLength("u32", 4, source.Length);

        public int Compare(uint x, uint y) => x.CompareTo(y);
    }

    private sealed class BytesCodec : IStorable<byte[]>
    {
        public StorableBound Bound => StorableBound.Unbounded;

        public bool OrdersByEncoding => true;

        public int SizeOf(byte[] value) => value.Length;

        public void Write(byte[] value, Span<byte> destination) => value.CopyTo(destination);

        public byte[] Read(ReadOnlySpan<byte> source) => source.ToArray();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private sealed class StringCodec : IStorable<string>
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public StorableBound Bound => StorableBound.Unbounded;

        public bool OrdersByEncoding => true;

        public int SizeOf(string value) => Strict.GetByteCount(value);

        public void Write(string value, Span<byte> destination) => Strict.GetBytes(value, destination);

        public string Read(ReadOnlySpan<byte> source)
        {
            try
            {
                return Strict.GetString(source);
            }
            catch (DecoderFallbackException e)
            {
                throw new CorruptMemoryException($"a stored string is not valid UTF-8: {e.Message}");
            }
        }

        // Rust orders strings by their UTF-8 bytes. Ordinal UTF-16 order agrees except where a
        // surrogate pair meets a character in U+E000..U+FFFF, so only then compare the bytes.
        public int Compare(string? x, string? y) =>
            x is null || y is null || (!HasSurrogate(x) && !HasSurrogate(y))
                ? string.CompareOrdinal(x, y)
                : Strict.GetBytes(x).AsSpan().SequenceCompareTo(Strict.GetBytes(y));

        private static bool HasSurrogate(string s) => s.AsSpan().IndexOfAnyInRange('\ud800', '\udfff') >= 0;
    }

    private sealed class BlobCodec(uint maxSize) : IStorable<Blob>
    {
        public StorableBound Bound { get; } = StorableBound.Bounded(maxSize);

        public bool OrdersByEncoding => true;

        public int SizeOf(Blob value) => value.Length;

        public void Write(Blob value, Span<byte> destination) => value.Span.CopyTo(destination);

        public Blob Read(ReadOnlySpan<byte> source) =>
            source.Length <= maxSize
                ? new Blob(source)
                : throw new CorruptMemoryException($"a stored Blob<{maxSize}> is {source.Length} bytes long");

        public int Compare(Blob x, Blob y) => x.CompareTo(y);
    }

    private static CorruptMemoryException WrongLength(string type, int expected, int actual) =>
        new($"a stored {type} must be {expected} bytes, found {actual}");
}
