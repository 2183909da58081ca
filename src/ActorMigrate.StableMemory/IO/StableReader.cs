using System.Buffers.Binary;

namespace ActorMigrate.StableMemory;

/// <summary>
/// Reads sequentially from a memory from <see cref="Position"/> (the Rust library's <c>Reader</c>), for
/// a post_upgrade hook restoring heap state. A read past the memory's size throws
/// <see cref="StableMemoryOutOfBoundsException"/> and leaves <see cref="Position"/> where it was.
/// </summary>
public sealed class StableReader(IMemory memory, ulong offset = 0)
{
    /// <summary>The offset the next read starts at.</summary>
    public ulong Position { get; private set; } = offset;

    public IMemory Memory { get; } = memory;

    /// <summary>Bytes between <see cref="Position"/> and the end of the memory.</summary>
    public ulong Remaining
    {
        get
        {
            var size = Memory.SizeInBytes();
            return Position >= size ? 0 : size - Position;
        }
    }

    /// <summary>Fills <paramref name="destination"/> from <see cref="Position"/>.</summary>
    public void Read(Span<byte> destination)
    {
        Memory.Read(Position, destination);
        Position += (ulong)destination.Length;
    }

    public uint ReadU32()
    {
        Span<byte> buffer = stackalloc byte[4];
        Read(buffer);
        return BinaryPrimitives.ReadUInt32LittleEndian(buffer);
    }

    public ulong ReadU64()
    {
        Span<byte> buffer = stackalloc byte[8];
        Read(buffer);
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer);
    }

    /// <summary>Reads what <see cref="StableWriter.WriteLengthPrefixed"/> wrote.</summary>
    /// <exception cref="CorruptMemoryException">The length runs past the end of the memory.</exception>
    public byte[] ReadLengthPrefixed()
    {
        var start = Position;
        ulong length = ReadU32();
        if (length > Remaining || length > (ulong)Array.MaxLength)
        {
            Position = start;
            throw new CorruptMemoryException(
                $"length prefix {length} at offset {start} of {Memory} runs past the end: only {Remaining} bytes follow it");
        }

        var bytes = new byte[length];
        Read(bytes);
        return bytes;
    }
}
