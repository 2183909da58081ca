using System.Security.Cryptography;

namespace ActorMigrate.Canisters;

/// <summary>
/// A map's digest: the XOR of one SHA-256 per entry, so it depends on the entries only, never on their
/// order (Dictionary order, codec order or key-byte order give the same digest).
/// </summary>
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

    /// <summary>XORs the entry's hash into <paramref name="folded"/> (32 bytes).</summary>
    public static void Fold(Span<byte> folded, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var entry = Entry(key, value);
        for (var i = 0; i < folded.Length; i++)
        {
            folded[i] ^= entry[i];
        }
    }
}
