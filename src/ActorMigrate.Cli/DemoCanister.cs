using System.Security.Cryptography;
using System.Text;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Cli;

/// <summary>
/// The built-in demo's stable memory: a canister that adopted the MemoryManager, with its schema label in
/// memory 0 (4-byte label + SHA-256 of it), its pre_upgrade blob in memory 1 (length-prefixed, written
/// with <see cref="StableWriter"/>) and a few pages grown for a future map in memory 2, interleaved so the
/// bucket table shows how buckets are handed out.
/// </summary>
public static class DemoCanister
{
    public const int LabelMemory = 0;
    public const int UpgradeMemory = 1;
    public const int MapMemory = 2;

    public static ReadOnlySpan<byte> Label => "AM02"u8;

    /// <summary>Builds the demo memory and returns the manager over it.</summary>
    public static MemoryManager Build(ushort bucketSizeInPages, int accounts)
    {
        var manager = MemoryManager.Init(new SparseMemory(), bucketSizeInPages);

        var labelWriter = new StableWriter(manager.Get(LabelMemory));
        labelWriter.Write(Label);
        labelWriter.Write(SHA256.HashData(Label));

        // Memory 2 grows in between: the upgrade blob's buckets are then not contiguous.
        var upgrade = new StableWriter(manager.Get(UpgradeMemory));
        var blob = UpgradeBlob(accounts);
        upgrade.WriteU32((uint)blob.Length);
        var half = blob.Length / 2;
        upgrade.Write(blob.AsSpan(0, half));
        manager.Get(MapMemory).Grow(bucketSizeInPages);
        upgrade.Write(blob.AsSpan(half));
        manager.Get(MapMemory).Grow(1);

        return manager;
    }

    /// <summary>The heap state a pre_upgrade hook would serialize: accounts as text lines.</summary>
    public static byte[] UpgradeBlob(int accounts)
    {
        var text = new StringBuilder();
        for (var i = 0; i < accounts; i++)
        {
            text.Append("account-").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
                .Append(' ').Append((i * 7_919L % 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Checks memory 0's label against its checksum.</summary>
    public static bool LabelIsValid(IMemory memory)
    {
        if (memory.SizeInBytes() < 36)
        {
            return false;
        }

        var stored = new byte[36];
        memory.Read(0, stored);
        return SHA256.HashData(stored.AsSpan(0, 4)).AsSpan().SequenceEqual(stored.AsSpan(4));
    }
}
