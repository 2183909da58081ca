using System.Globalization;

namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// How conformance lines spell values: <c>u64</c> in decimal; <c>blobN</c> and <c>bytes</c> in lower-case hex,
/// <c>-</c> when empty (shared/conformance/README.md). Parsing is <see cref="ConformanceLine"/>'s, so a malformed
/// value is reported the same way in every line; this adds the value-type names the drivers share.
/// </summary>
internal static class ConformanceValues
{
    public static ulong ParseU64(string text) => ConformanceLine.U64([text], 0, "u64 value");

    public static string FormatU64(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static byte[] ParseHex(string text) => ConformanceLine.Hex([text], 0, "hex value");

    public static string FormatHex(ReadOnlySpan<byte> bytes) => ConformanceLine.ToHex(bytes);

    /// <summary>The N of a <c>blobN</c> type name, or null when the name is not of that form.</summary>
    public static uint? BlobBound(string typeName) =>
        typeName.StartsWith("blob", StringComparison.Ordinal)
        && uint.TryParse(typeName.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var bound)
            ? bound
            : null;

    public static NotSupportedException UnknownType(string keyword, string typeName) =>
        new($"{keyword}: value type \"{typeName}\" is not one of u64, blobN, bytes");

    public static FormatException BadLine(IReadOnlyList<string> line, string expected) =>
        new($"conformance line \"{string.Join(' ', line)}\" is not {expected}");
}
