using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The BTreeMap's free-list allocator of equal-size chunks (one per node page), at offset 52 of the
/// map's memory: the Rust library's <c>btreemap::Allocator</c>. Freed chunks are pushed on the front
/// of the free list and reused first, so the order of frees decides where later nodes land.
/// </summary>
/// <remarks>
/// Allocator header (little-endian, 48 bytes):
/// | offset | size | field                                         |
/// |--------|------|-----------------------------------------------|
/// | 0      | 3    | magic "BTA"                                   |
/// | 3      | 1    | layout version (1)                            |
/// | 4      | 4    | zero (alignment)                              |
/// | 8      | 8    | allocation size (bytes usable in a chunk)     |
/// | 16     | 8    | number of allocated chunks                    |
/// | 24     | 8    | free list head (address of a chunk header)    |
/// | 32     | 16   | zero (reserved)                               |
///
/// Chunk header (16 bytes), followed by allocation-size bytes for the user:
/// | offset | size | field                                         |
/// |--------|------|-----------------------------------------------|
/// | 0      | 3    | magic "CHK"                                   |
/// | 3      | 1    | layout version (1)                            |
/// | 4      | 1    | allocated (0 or 1)                            |
/// | 5      | 3    | zero (alignment)                              |
/// | 8      | 8    | next free chunk (0 = none)                    |
///
/// A new allocator writes one free chunk header right after its own header. Allocating the last
/// free chunk appends a fresh free chunk header one chunk further on, growing the memory.
/// </remarks>
internal sealed class ChunkAllocator
{
    public const int HeaderSize = 48;
    public const int ChunkHeaderSize = 16;
    private const byte LayoutVersion = 1;

    private readonly IMemory memory;
    private readonly ulong headerAddress;

    private ChunkAllocator(IMemory memory, ulong headerAddress, ulong allocationSize, ulong allocatedChunks, ulong freeListHead)
    {
        this.memory = memory;
        this.headerAddress = headerAddress;
        AllocationSize = allocationSize;
        AllocatedChunks = allocatedChunks;
        FreeListHead = freeListHead;
    }

    public ulong AllocationSize { get; }

    public ulong AllocatedChunks { get; private set; }

    public ulong FreeListHead { get; private set; }

    public IMemory Memory => memory;

    private ulong ChunkSize => AllocationSize + ChunkHeaderSize;

    /// <summary>Formats an allocator at <paramref name="address"/>; everything after it is free.</summary>
    public static ChunkAllocator Create(IMemory memory, ulong address, ulong allocationSize)
    {
        var allocator = new ChunkAllocator(memory, address, allocationSize, 0, address + HeaderSize);
        allocator.WriteChunkHeader(allocator.FreeListHead, allocated: false, next: 0);
        allocator.Save();
        return allocator;
    }

    public static ChunkAllocator Load(IMemory memory, ulong address)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (address + HeaderSize > memory.SizeInBytes())
        {
            throw new CorruptMemoryException(
                $"BTreeMap allocator header at offset {address} lies beyond the memory's {memory.SizeInBytes()} bytes");
        }

        memory.Read(address, header);
        if (header[0] != 'B' || header[1] != 'T' || header[2] != 'A')
        {
            throw new CorruptMemoryException(
                $"bad BTreeMap allocator magic at offset {address}: expected \"BTA\", found {Convert.ToHexStringLower(header[..3])}");
        }

        if (header[3] != LayoutVersion)
        {
            throw new CorruptMemoryException($"unsupported BTreeMap allocator layout version {header[3]} at offset {address}");
        }

        return new ChunkAllocator(
            memory,
            address,
            BinaryPrimitives.ReadUInt64LittleEndian(header[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[24..]));
    }

    /// <summary>Takes the chunk at the head of the free list and returns the address of its data.</summary>
    public ulong Allocate()
    {
        var chunk = FreeListHead;
        var next = ReadFreeChunk(chunk, "allocate");
        WriteChunkHeader(chunk, allocated: true, next);
        if (next != 0)
        {
            FreeListHead = next;
        }
        else
        {
            FreeListHead += ChunkSize;
            WriteChunkHeader(FreeListHead, allocated: false, next: 0);
        }

        AllocatedChunks++;
        Save();
        return chunk + ChunkHeaderSize;
    }

    /// <summary>Returns a chunk (by the data address <see cref="Allocate"/> gave) to the front of the free list.</summary>
    public void Deallocate(ulong address)
    {
        var chunk = address - ChunkHeaderSize;
        Span<byte> header = stackalloc byte[ChunkHeaderSize];
        ReadChunkHeader(chunk, header);
        if (header[4] != 1)
        {
            throw new CorruptMemoryException($"BTreeMap chunk at offset {chunk} is freed but is not allocated");
        }

        WriteChunkHeader(chunk, allocated: false, FreeListHead);
        FreeListHead = chunk;
        AllocatedChunks--;
        Save();
    }

    /// <summary>Forgets every chunk: the free list starts again right after the header.</summary>
    public void Clear()
    {
        FreeListHead = headerAddress + HeaderSize;
        WriteChunkHeader(FreeListHead, allocated: false, next: 0);
        AllocatedChunks = 0;
        Save();
    }

    private ulong ReadFreeChunk(ulong chunk, string operation)
    {
        Span<byte> header = stackalloc byte[ChunkHeaderSize];
        ReadChunkHeader(chunk, header);
        if (header[4] != 0)
        {
            throw new CorruptMemoryException($"BTreeMap free list names chunk {chunk}, which is already allocated ({operation})");
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
    }

    private void ReadChunkHeader(ulong chunk, Span<byte> header)
    {
        if (chunk < headerAddress + HeaderSize || chunk + ChunkHeaderSize > memory.SizeInBytes())
        {
            throw new CorruptMemoryException(
                $"BTreeMap chunk address {chunk} lies outside the memory's {memory.SizeInBytes()} bytes");
        }

        memory.Read(chunk, header);
        if (header[0] != 'C' || header[1] != 'H' || header[2] != 'K' || header[3] != LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"bad BTreeMap chunk magic at offset {chunk}: expected \"CHK\" version 1, found {Convert.ToHexStringLower(header[..4])}");
        }
    }

    private void WriteChunkHeader(ulong chunk, bool allocated, ulong next)
    {
        Span<byte> header = stackalloc byte[ChunkHeaderSize];
        header.Clear();
        header[0] = (byte)'C';
        header[1] = (byte)'H';
        header[2] = (byte)'K';
        header[3] = LayoutVersion;
        header[4] = allocated ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], next);
        StableWrite.Write(memory, chunk, header);
    }

    private void Save()
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        header[0] = (byte)'B';
        header[1] = (byte)'T';
        header[2] = (byte)'A';
        header[3] = LayoutVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], AllocationSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], AllocatedChunks);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], FreeListHead);
        StableWrite.Write(memory, headerAddress, header);
    }
}
