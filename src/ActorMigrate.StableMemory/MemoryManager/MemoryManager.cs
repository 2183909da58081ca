using System.Buffers.Binary;

namespace ActorMigrate.StableMemory;

/// <summary>
/// Up to 255 virtual memories inside one memory, byte for byte as ic-stable-structures' MemoryManager
/// (layout version 1). The memory is cut into buckets of <see cref="BucketSizeInPages"/> pages; each
/// virtual memory is the list of buckets it was given, in the order it was given them, so buckets of
/// different memories interleave in the order the memories grew.
/// </summary>
/// <remarks>
/// Layout (little-endian; page 0 holds only the metadata, buckets start at page 1):
/// | offset           | size      | field                                                          |
/// |------------------|-----------|----------------------------------------------------------------|
/// | 0                | 3         | magic "MGR"                                                    |
/// | 3                | 1         | layout version (1)                                             |
/// | 4                | 2         | number of allocated buckets (at most 32,768)                   |
/// | 6                | 2         | bucket size in pages (N; 128 by default)                       |
/// | 8                | 32        | reserved (zeros)                                               |
/// | 40               | 255 × 8   | size in pages of memory 0, 1, …, 254                           |
/// | 2,080            | 32,768    | bucket table: owner (memory id) of bucket 0, 1, …; 255 = free  |
/// | 34,848           | 30,688    | unused (never written: after Init over old data it keeps them) |
/// | 65,536 × (1+b·N) | N pages   | bucket b                                                       |
///
/// <para>
/// <see cref="Init"/> formats any memory that does not start with "MGR" — even one holding data, as the
/// Rust library does (the pitfall canisters hit when they adopt the MemoryManager over a raw layout):
/// it overwrites the first 34,848 bytes and leaves everything else as it was.
/// </para>
/// <para>
/// Buckets are handed out in strictly ascending order and never given back. The library's main branch
/// at b5d1650 has no bucket release: <c>reclaim_memory</c> (PRs #386–#394) was reverted by #396 in
/// August 2025, so neither the layout nor the allocation order changed. As in the library, a table
/// entry of 255 below the bucket count (left by that short-lived feature) loads as a bucket nobody owns.
/// </para>
/// </remarks>
public sealed class MemoryManager
{
    private readonly IMemory memory;
    private readonly ulong bucketSizeInBytes;
    private readonly ulong[] memorySizesInPages = new ulong[MemoryManagerLayout.MaxMemories];
    private readonly List<ushort>[] memoryBuckets = new List<ushort>[MemoryManagerLayout.MaxMemories];
    private readonly VirtualMemory?[] virtualMemories = new VirtualMemory?[MemoryManagerLayout.MaxMemories];
    private readonly byte[] header = new byte[MemoryManagerLayout.HeaderLength];
    private int allocatedBuckets;

    private MemoryManager(IMemory memory, ushort bucketSizeInPages, int allocatedBuckets)
    {
        this.memory = memory;
        BucketSizeInPages = bucketSizeInPages;
        bucketSizeInBytes = WasmPage.ToBytes(bucketSizeInPages);
        this.allocatedBuckets = allocatedBuckets;
        for (var id = 0; id < memoryBuckets.Length; id++)
        {
            memoryBuckets[id] = [];
        }
    }

    /// <summary>The memory the virtual memories live in.</summary>
    public IMemory Memory => memory;

    public ushort BucketSizeInPages { get; }

    /// <summary>Buckets handed out so far (the header's count).</summary>
    public int AllocatedBuckets => allocatedBuckets;

    /// <summary>
    /// Loads the MemoryManager in <paramref name="memory"/>, or formats a new one with buckets of
    /// <paramref name="bucketSizeInPages"/> pages when the memory does not start with "MGR" — even when
    /// it holds other data. A loaded manager keeps its own bucket size.
    /// </summary>
    public static MemoryManager Init(IMemory memory, ushort bucketSizeInPages = MemoryManagerLayout.DefaultBucketSizeInPages)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (bucketSizeInPages == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bucketSizeInPages), "a bucket needs at least one page");
        }

        return HasMagic(memory) ? Load(memory) : Format(memory, bucketSizeInPages);
    }

    /// <summary>Loads the MemoryManager in <paramref name="memory"/>; never formats.</summary>
    /// <exception cref="CorruptMemoryException">The memory holds no valid MemoryManager (the message says what and where).</exception>
    public static MemoryManager Load(IMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return MemoryManagerLoader.Load(memory);
    }

    /// <summary>True when <paramref name="memory"/> starts with the magic "MGR".</summary>
    public static bool HasMagic(IMemory memory)
    {
        if (memory.SizeInBytes() < 3)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[3];
        memory.Read(0, magic);
        return magic.SequenceEqual(MemoryManagerLayout.Magic);
    }

    /// <summary>The virtual memory <paramref name="memoryId"/> (0–254).</summary>
    public VirtualMemory Get(int memoryId)
    {
        CheckId(memoryId);
        return virtualMemories[memoryId] ??= new VirtualMemory(this, (byte)memoryId);
    }

    /// <summary>The size of virtual memory <paramref name="memoryId"/> in pages.</summary>
    public ulong MemorySize(int memoryId)
    {
        CheckId(memoryId);
        return memorySizesInPages[memoryId];
    }

    /// <summary>The buckets of virtual memory <paramref name="memoryId"/>, in virtual-address order.</summary>
    public IReadOnlyList<ushort> BucketsOf(int memoryId)
    {
        CheckId(memoryId);
        return memoryBuckets[memoryId];
    }

    internal static MemoryManager Restore(IMemory memory, ushort bucketSizeInPages, int allocatedBuckets, ReadOnlySpan<ulong> sizes, ReadOnlySpan<byte> bucketOwners)
    {
        var manager = new MemoryManager(memory, bucketSizeInPages, allocatedBuckets);
        sizes.CopyTo(manager.memorySizesInPages);
        for (var bucket = 0; bucket < bucketOwners.Length; bucket++)
        {
            var owner = bucketOwners[bucket];
            if (owner != MemoryManagerLayout.UnallocatedBucket)
            {
                manager.memoryBuckets[owner].Add((ushort)bucket);
            }
        }

        manager.FillHeader();
        return manager;
    }

    private static MemoryManager Format(IMemory memory, ushort bucketSizeInPages)
    {
        var manager = new MemoryManager(memory, bucketSizeInPages, 0);

        // Like the Rust library's growing write: an empty memory gets its metadata page.
        var metadataPages = ((ulong)MemoryManagerLayout.MetadataLength + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
        if (memory.Size < metadataPages && memory.Grow(metadataPages - memory.Size) < 0)
        {
            throw new GrowFailedException($"the MemoryManager needs {metadataPages} page(s) for its metadata, but the memory cannot grow from {memory.Size}");
        }

        manager.FillHeader();
        manager.SaveHeader();
        Span<byte> unowned = stackalloc byte[1024];
        unowned.Fill(MemoryManagerLayout.UnallocatedBucket);
        for (var bucket = 0; bucket < MemoryManagerLayout.MaxBuckets; bucket += unowned.Length)
        {
            memory.Write(MemoryManagerLayout.BucketTableEntryOffset(bucket), unowned);
        }

        return manager;
    }

    internal ulong Size(byte id) => memorySizesInPages[id];

    /// <summary>Grows memory <paramref name="id"/>; -1 (and no change) when the buckets or the memory run out.</summary>
    internal long Grow(byte id, ulong pages)
    {
        var oldSize = memorySizesInPages[id];
        if (pages > ulong.MaxValue - oldSize)
        {
            return -1;
        }

        var newSize = oldSize + pages;
        var newBuckets = BucketsNeeded(newSize) - BucketsNeeded(oldSize);
        if (newBuckets > (ulong)(MemoryManagerLayout.MaxBuckets - allocatedBuckets))
        {
            return -1;
        }

        // The Rust library panics (traps) when the underlying memory refuses to grow; a refusal here
        // changes nothing and returns -1, as IMemory.Grow promises.
        var pagesNeeded = MemoryManagerLayout.BucketsOffsetInPages + BucketSizeInPages * ((ulong)allocatedBuckets + newBuckets);
        var underlyingSize = memory.Size;
        if (pagesNeeded > underlyingSize && memory.Grow(pagesNeeded - underlyingSize) < 0)
        {
            return -1;
        }

        Span<byte> owner = [id];
        var buckets = memoryBuckets[id];
        for (var i = 0UL; i < newBuckets; i++)
        {
            var bucket = (ushort)allocatedBuckets++;
            buckets.Add(bucket);
            memory.Write(MemoryManagerLayout.BucketTableEntryOffset(bucket), owner);
        }

        memorySizesInPages[id] = newSize;
        FillHeader();
        SaveHeader();
        return (long)oldSize;
    }

    internal void Read(byte id, ulong offset, Span<byte> destination)
    {
        MemoryExtensions.CheckBounds(offset, destination.Length, WasmPage.ToBytes(memorySizesInPages[id]));
        var buckets = memoryBuckets[id];
        while (!destination.IsEmpty)
        {
            var count = Segment(buckets, offset, destination.Length, out var realAddress);
            memory.Read(realAddress, destination[..count]);
            destination = destination[count..];
            offset += (ulong)count;
        }
    }

    internal void Write(byte id, ulong offset, ReadOnlySpan<byte> source)
    {
        MemoryExtensions.CheckBounds(offset, source.Length, WasmPage.ToBytes(memorySizesInPages[id]));
        var buckets = memoryBuckets[id];
        while (!source.IsEmpty)
        {
            var count = Segment(buckets, offset, source.Length, out var realAddress);
            memory.Write(realAddress, source[..count]);
            source = source[count..];
            offset += (ulong)count;
        }
    }

    /// <summary>Maps a virtual offset to its real address and how many bytes stay in that bucket.</summary>
    private int Segment(List<ushort> buckets, ulong virtualOffset, int length, out ulong realAddress)
    {
        var index = (int)(virtualOffset / bucketSizeInBytes);
        var inBucket = virtualOffset % bucketSizeInBytes;
        realAddress = WasmPage.ToBytes(MemoryManagerLayout.BucketsOffsetInPages) + buckets[index] * bucketSizeInBytes + inBucket;
        return (int)Math.Min((ulong)length, bucketSizeInBytes - inBucket);
    }

    private ulong BucketsNeeded(ulong pages) => pages / BucketSizeInPages + (pages % BucketSizeInPages == 0 ? 0UL : 1UL);

    private void FillHeader()
    {
        var span = header.AsSpan();
        MemoryManagerLayout.Magic.CopyTo(span);
        span[(int)MemoryManagerLayout.VersionOffset] = MemoryManagerLayout.LayoutVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(span[(int)MemoryManagerLayout.AllocatedBucketsOffset..], (ushort)allocatedBuckets);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(int)MemoryManagerLayout.BucketSizeOffset..], BucketSizeInPages);
        span.Slice((int)MemoryManagerLayout.ReservedOffset, MemoryManagerLayout.ReservedLength).Clear();
        for (var id = 0; id < MemoryManagerLayout.MaxMemories; id++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[(int)MemoryManagerLayout.MemorySizeOffset(id)..], memorySizesInPages[id]);
        }
    }

    // The Rust library rewrites the whole header (reserved bytes and every size included) on each grow.
    private void SaveHeader() => memory.Write(0, header);

    private static void CheckId(int memoryId)
    {
        if (memoryId is < 0 or >= MemoryManagerLayout.MaxMemories)
        {
            throw new ArgumentOutOfRangeException(nameof(memoryId), memoryId, "virtual memory ids are 0–254 (255 marks a free bucket)");
        }
    }
}
