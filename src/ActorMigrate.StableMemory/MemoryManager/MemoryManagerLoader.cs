using System.Buffers;
using System.Buffers.Binary;

namespace ActorMigrate.StableMemory;

/// <summary>
/// Reads and checks a MemoryManager's metadata before anything trusts it: a corrupt header or bucket
/// table becomes a <see cref="CorruptMemoryException"/> naming the field and its offset, never an
/// index error or a hang later on.
/// </summary>
/// <remarks>
/// Two corruptions other formats can have are unrepresentable in layout version 1: the table holds one
/// owner byte per bucket, so no bucket can be given twice, and the only byte above 254 is 255, the
/// "free" marker. Their counterparts here are a table entry past the bucket count and a memory size
/// larger than its buckets hold; both are rejected.
/// </remarks>
internal static class MemoryManagerLoader
{
    public static MemoryManager Load(IMemory memory)
    {
        var sizeInBytes = memory.SizeInBytes();
        if (sizeInBytes < MemoryManagerLayout.MetadataLength)
        {
            throw new CorruptMemoryException(
                $"truncated MemoryManager: the memory has {sizeInBytes} bytes, but the header and bucket table need {MemoryManagerLayout.MetadataLength} (offsets 0–{MemoryManagerLayout.MetadataLength - 1})");
        }

        // Pooled: a module instance opens its MemoryManager once, but every upgrade makes a new instance.
        var rented = ArrayPool<byte>.Shared.Rent(MemoryManagerLayout.MetadataLength);
        try
        {
            return Load(memory, rented.AsSpan(0, MemoryManagerLayout.MetadataLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static MemoryManager Load(IMemory memory, Span<byte> metadata)
    {
        memory.Read(0, metadata);

        if (!metadata[..3].SequenceEqual(MemoryManagerLayout.Magic))
        {
            throw new CorruptMemoryException(
                $"no MemoryManager: offset 0 holds {Convert.ToHexString(metadata[..3])}, not the magic \"MGR\" (4D4752)");
        }

        var version = metadata[(int)MemoryManagerLayout.VersionOffset];
        if (version != MemoryManagerLayout.LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"unsupported MemoryManager layout version {version} at offset {MemoryManagerLayout.VersionOffset} (only version {MemoryManagerLayout.LayoutVersion} exists)");
        }

        var allocatedBuckets = BinaryPrimitives.ReadUInt16LittleEndian(metadata[(int)MemoryManagerLayout.AllocatedBucketsOffset..]);
        if (allocatedBuckets > MemoryManagerLayout.MaxBuckets)
        {
            throw new CorruptMemoryException(
                $"the header counts {allocatedBuckets} allocated buckets (offset {MemoryManagerLayout.AllocatedBucketsOffset}), but the bucket table has only {MemoryManagerLayout.MaxBuckets} entries");
        }

        var bucketSizeInPages = BinaryPrimitives.ReadUInt16LittleEndian(metadata[(int)MemoryManagerLayout.BucketSizeOffset..]);
        if (bucketSizeInPages == 0)
        {
            throw new CorruptMemoryException(
                $"bucket size 0 pages at offset {MemoryManagerLayout.BucketSizeOffset}: a bucket needs at least one page");
        }

        var pagesNeeded = MemoryManagerLayout.BucketsOffsetInPages + (ulong)allocatedBuckets * bucketSizeInPages;
        if (memory.Size < pagesNeeded)
        {
            throw new CorruptMemoryException(
                $"the header counts {allocatedBuckets} buckets of {bucketSizeInPages} pages (offsets 4 and 6), which need {pagesNeeded} pages, but the memory has {memory.Size}");
        }

        var owners = metadata.Slice((int)MemoryManagerLayout.BucketTableOffset, MemoryManagerLayout.MaxBuckets);
        // Past the allocated buckets every entry must be unallocated: one vectorized scan of the (long) tail.
        var stray = owners[allocatedBuckets..].IndexOfAnyExcept(MemoryManagerLayout.UnallocatedBucket);
        if (stray >= 0)
        {
            var bucket = allocatedBuckets + stray;
            throw new CorruptMemoryException(
                $"bucket table entry {bucket} (offset {MemoryManagerLayout.BucketTableEntryOffset(bucket)}) names memory {owners[bucket]}, but the header counts only {allocatedBuckets} allocated buckets");
        }

        var allocated = owners[..allocatedBuckets];
        var bucketCounts = new int[MemoryManagerLayout.MaxMemories];
        foreach (var owner in allocated)
        {
            if (owner != MemoryManagerLayout.UnallocatedBucket)
            {
                bucketCounts[owner]++;
            }
        }

        var sizes = new ulong[MemoryManagerLayout.MaxMemories];
        for (var id = 0; id < sizes.Length; id++)
        {
            var offset = MemoryManagerLayout.MemorySizeOffset(id);
            sizes[id] = BinaryPrimitives.ReadUInt64LittleEndian(metadata[(int)offset..]);
            var capacity = (ulong)bucketCounts[id] * bucketSizeInPages;
            if (sizes[id] > capacity)
            {
                throw new CorruptMemoryException(
                    $"memory {id} has size {sizes[id]} pages (offset {offset}), but the bucket table gives it {bucketCounts[id]} bucket(s) of {bucketSizeInPages} pages ({capacity} pages)");
            }
        }

        return MemoryManager.Restore(memory, bucketSizeInPages, allocatedBuckets, sizes, allocated);
    }
}
