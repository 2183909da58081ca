using System.Security.Cryptography;

namespace ActorMigrate.Canisters;

/// <summary>One entry's share of an unordered map's digest (XOR-folded, so independent of Dictionary order).</summary>
internal static class HeapMapDigest
{
    public static byte[] Entry(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var joined = new byte[key.Length + 1 + value.Length];
        key.CopyTo(joined);
        joined[key.Length] = 0xFF;
        value.CopyTo(joined.AsSpan(key.Length + 1));
        return SHA256.HashData(joined);
    }
}
