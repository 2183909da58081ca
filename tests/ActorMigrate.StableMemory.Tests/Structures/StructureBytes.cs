namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>Small helpers to write and read documented bytes in layout tests.</summary>
internal static class StructureBytes
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static byte[] Read(IMemory memory, ulong offset, int length)
    {
        var bytes = new byte[length];
        memory.Read(offset, bytes);
        return bytes;
    }

    /// <summary>A one-page memory holding <paramref name="bytes"/> at offset 0 (the rest zero).</summary>
    public static SparseMemory PageWith(string hex) => SparseMemory.FromImage(Hex(hex));
}
