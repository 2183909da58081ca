namespace ActorMigrate.StableMemory.Conformance;

/// <summary>Byte-for-byte comparison of an image the port produced with the Rust library's.</summary>
public static class ImageComparison
{
    /// <summary>Null when equal; otherwise the first differing offset (with both bytes) or the size difference.</summary>
    public static string? FirstDifference(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        var common = Math.Min(actual.Length, expected.Length);
        var mismatch = actual[..common].CommonPrefixLength(expected[..common]);
        if (mismatch < common)
        {
            return $"first difference at offset {mismatch}: expected 0x{expected[mismatch]:x2}, got 0x{actual[mismatch]:x2}";
        }

        return actual.Length == expected.Length
            ? null
            : $"size differs: expected {expected.Length} bytes ({expected.Length / (double)WasmPage.SizeInBytes:0.##} pages), got {actual.Length} bytes ({actual.Length / (double)WasmPage.SizeInBytes:0.##} pages)";
    }
}
