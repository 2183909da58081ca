using System.Globalization;

namespace ActorMigrate.StableMemory.Inspection;

/// <summary>
/// Codecs that decode stored bytes straight to display text, for dumps: by type name (<c>u64</c>, <c>u32</c>,
/// <c>blobN</c>, <c>bytes</c>, <c>string</c>), or as hex within a known bound when the user names no type.
/// They only read; a structure opened with them must not be written.
/// </summary>
public static class DisplayCodecs
{
    public const string TypeNames = "u64, u32, blobN (N = max bytes), bytes, string";

    /// <summary>The codec a type name stands for.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="TypeNames"/>.</exception>
    public static IStorable<string> ByName(string typeName) =>
        typeName switch
        {
            "u64" => new Display<ulong>(Storable.U64, v => v.ToString(CultureInfo.InvariantCulture)),
            "u32" => new Display<uint>(Storable.U32, v => v.ToString(CultureInfo.InvariantCulture)),
            "bytes" => new Display<byte[]>(Storable.Bytes, v => Hex(v)),
            "string" => new Display<string>(Storable.String, v => v),
            _ when typeName.StartsWith("blob", StringComparison.Ordinal)
                && uint.TryParse(typeName.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var bound) =>
                new Display<Blob>(Storable.Blob(bound), v => Hex(v.Span)),
            _ => throw new ArgumentException($"unknown type '{typeName}': use one of {TypeNames}"),
        };

    /// <summary>Hex of the raw bytes, under a bound read from a structure's header.</summary>
    public static IStorable<string> Hex(StorableBound bound) => new Display<byte[]>(new RawBytes(bound), v => Hex(v));

    /// <summary>Lower-case hex, <c>-</c> when empty (the conformance files' spelling).</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "-" : Convert.ToHexStringLower(bytes);

    private sealed class Display<T>(IStorable<T> inner, Func<T, string> format) : IStorable<string>
    {
        public StorableBound Bound => inner.Bound;

        public int SizeOf(string value) => throw ReadOnly();

        public void Write(string value, Span<byte> destination) => throw ReadOnly();

        public string Read(ReadOnlySpan<byte> source) => format(inner.Read(source));

        public int Compare(string? x, string? y) => string.CompareOrdinal(x, y);

        private static NotSupportedException ReadOnly() => new("display codecs only decode");
    }

    private sealed class RawBytes(StorableBound bound) : IStorable<byte[]>
    {
        public StorableBound Bound => bound;

        public int SizeOf(byte[] value) => value.Length;

        public void Write(byte[] value, Span<byte> destination) => value.CopyTo(destination);

        public byte[] Read(ReadOnlySpan<byte> source) => source.ToArray();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
