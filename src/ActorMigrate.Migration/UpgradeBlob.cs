using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// The heap state a pre_upgrade hands to the next post_upgrade, in the virtual memory reserved for it (the guide's step 2).
/// </summary>
/// <remarks>
/// Layout (in virtual memory 1):
/// | offset | size | field                                                          |
/// |--------|------|----------------------------------------------------------------|
/// | 0      | 4    | magic "UPB1"                                                   |
/// | 4      | 4    | writer: the module version that wrote it                       |
/// | 8      | 8    | migration epoch the writer saw (0 when it knows no migration)  |
/// | 16     | 8    | length N                                                       |
/// | 24     | N    | the serialized heap state                                      |
///
/// post_upgrade clears the magic once it has read the blob, so a blob is consumed once and a later
/// upgrade never mistakes a stale one for fresh.
/// </remarks>
public sealed record UpgradeBlob(uint Writer, ulong Epoch, byte[] Bytes)
{
    private static readonly byte[] Magic = "UPB1"u8.ToArray();

    public void Write(IMemory memory)
    {
        var writer = new StableWriter(memory);
        writer.Write(Magic);
        writer.WriteU32(Writer);
        writer.WriteU64(Epoch);
        writer.WriteU64((ulong)Bytes.Length);
        writer.Write(Bytes);
    }

    /// <summary>The blob in <paramref name="memory"/>, or null when there is none.</summary>
    public static UpgradeBlob? Read(IMemory memory)
    {
        if (memory.SizeInBytes() < 24)
        {
            return null;
        }

        var reader = new StableReader(memory);
        Span<byte> magic = stackalloc byte[4];
        reader.Read(magic);
        if (!magic.SequenceEqual(Magic))
        {
            return null;
        }

        var writer = reader.ReadU32();
        var epoch = reader.ReadU64();
        var length = reader.ReadU64();
        if (length > reader.Remaining)
        {
            throw new CorruptMemoryException($"the upgrade blob claims {length} bytes, but its memory holds {reader.Remaining} after the header (offset 16)");
        }

        var bytes = new byte[length];
        reader.Read(bytes);
        return new UpgradeBlob(writer, epoch, bytes);
    }

    /// <summary>Marks the blob consumed (overwrites the magic).</summary>
    public static void Consume(IMemory memory)
    {
        if (memory.SizeInBytes() >= 4)
        {
            memory.Write(0, "USED"u8);
        }
    }
}
