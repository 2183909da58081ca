namespace ActorMigrate.StableMemory;

/// <summary>Bounds checks and small fixed-width accessors every memory and structure shares.</summary>
public static class MemoryExtensions
{
    /// <summary>Size of the memory in bytes.</summary>
    public static ulong SizeInBytes(this IMemory memory) => WasmPage.ToBytes(memory.Size);

    /// <summary>Throws unless [offset, offset + length) lies inside a memory of <paramref name="sizeInBytes"/>.</summary>
    public static void CheckBounds(ulong offset, int length, ulong sizeInBytes)
    {
        var end = offset + (ulong)length;
        if (end < offset || end > sizeInBytes)
        {
            throw new StableMemoryOutOfBoundsException(offset, (ulong)length, sizeInBytes);
        }
    }

    public static ulong ReadU64(this IMemory memory, ulong offset)
    {
        Span<byte> buffer = stackalloc byte[8];
        memory.Read(offset, buffer);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buffer);
    }

    public static void WriteU64(this IMemory memory, ulong offset, ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        memory.Write(offset, buffer);
    }

    public static uint ReadU32(this IMemory memory, ulong offset)
    {
        Span<byte> buffer = stackalloc byte[4];
        memory.Read(offset, buffer);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buffer);
    }

    public static void WriteU32(this IMemory memory, ulong offset, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
        memory.Write(offset, buffer);
    }

    /// <summary>Copies the whole memory into a new array (for images and tests; not for GiB memories).</summary>
    public static byte[] ToArray(this IMemory memory)
    {
        var bytes = new byte[checked((int)memory.SizeInBytes())];
        memory.Read(0, bytes);
        return bytes;
    }
}
