using System.Text;

namespace ActorMigrate.StableMemory;

/// <summary>The three-byte magics that open every structure's layout, and how errors show them.</summary>
internal static class LayoutMagic
{
    public static ReadOnlySpan<byte> Cell => "SCL"u8;

    public static ReadOnlySpan<byte> Vec => "SVC"u8;

    public static ReadOnlySpan<byte> MinHeap => "SMH"u8;

    public static ReadOnlySpan<byte> LogIndex => "GLI"u8;

    public static ReadOnlySpan<byte> LogData => "GLD"u8;

    /// <summary>Printable ASCII as text, anything else as hex, so an error names what was really found.</summary>
    public static string Describe(ReadOnlySpan<byte> magic)
    {
        foreach (var b in magic)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return "0x" + Convert.ToHexStringLower(magic);
            }
        }

        return "\"" + Encoding.ASCII.GetString(magic) + "\"";
    }
}
