namespace ActorMigrate.StableMemory;

/// <summary>
/// How values of <typeparamref name="T"/> are written to stable memory and ordered: the Rust
/// library's <c>Storable</c> plus <c>Ord</c>. A codec is a stateless object passed to a structure, so
/// plain .NET types (<c>ulong</c>, <c>byte[]</c>, <c>string</c>) need no wrappers and users add their own
/// types by implementing this interface.
/// </summary>
/// <remarks>
/// Encoding goes through spans so that fixed-size values never allocate. The order must match the
/// Rust type's <c>Ord</c>: a BTreeMap's node layout depends on it.
/// </remarks>
public interface IStorable<T> : IComparer<T>
{
    StorableBound Bound { get; }

    /// <summary>The length of <paramref name="value"/>'s encoding in bytes.</summary>
    int SizeOf(T value);

    /// <summary>Writes the encoding into <paramref name="destination"/>, which is exactly <see cref="SizeOf"/> bytes long.</summary>
    void Write(T value, Span<byte> destination);

    /// <summary>
    /// True when <c>Compare</c> orders values exactly as their encodings compare byte by byte
    /// (lexicographically, shorter first on a common prefix), as Rust's <c>Ord</c> does for big-endian
    /// integers, <c>Blob</c>, <c>Vec&lt;u8&gt;</c> and <c>String</c>. Structures may then compare stored
    /// encodings without decoding them. The default, false, is always safe.
    /// </summary>
    bool OrdersByEncoding => false;

    /// <summary>Decodes a value from exactly the bytes <see cref="Write"/> produced.</summary>
    /// <exception cref="CorruptMemoryException">The bytes are not a valid encoding.</exception>
    T Read(ReadOnlySpan<byte> source);
}

/// <summary>Encoding helpers over any codec.</summary>
public static class StorableExtensions
{
    /// <summary>The encoding as a new array, checked against the codec's bound.</summary>
    public static byte[] ToBytes<T>(this IStorable<T> codec, T value)
    {
        var bytes = new byte[codec.SizeOf(value)];
        codec.Write(value, bytes);
        codec.CheckBound(bytes.Length);
        return bytes;
    }

    /// <summary>Throws when an encoding of <paramref name="length"/> bytes breaks the codec's bound (Rust's <c>to_bytes_checked</c>).</summary>
    public static void CheckBound<T>(this IStorable<T> codec, int length)
    {
        var bound = codec.Bound;
        if (!bound.IsBounded)
        {
            return;
        }

        if (bound.IsFixedSize ? length != bound.MaxSize : length > bound.MaxSize)
        {
            throw new ArgumentException(
                $"a {typeof(T).Name} encodes to {length} bytes, but its bound is {bound}");
        }
    }
}
