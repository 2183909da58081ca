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

        var metadata = new byte[MemoryManagerLayout.MetadataLength];
        memory.Read(0, metadata);

        if (!metadata.AsSpan(0, 3).SequenceEqual(MemoryManagerLayout.Magic))
        {
            throw new CorruptMemoryException(
                $"no MemoryManager: offset 0 holds {Convert.ToHexString(metadata, 0, 3)}, not the magic \"MGR\" (4D4752)");
        }

        var version = metadata[MemoryManagerLayout.VersionOffset];
        if (version != MemoryManagerLayout.LayoutVersion)
        {
            throw new CorruptMemoryException(
                $"unsupported MemoryManager layout version {version} at offset {MemoryManagerLayout.VersionOffset} (only version {MemoryManagerLayout.LayoutVersion} exists)");
        }

        var allocatedBuckets = BinaryPrimitives.ReadUInt16LittleEndian(metadata.AsSpan((int)MemoryManagerLayout.AllocatedBucketsOffset));
        if (allocatedBuckets > MemoryManagerLayout.MaxBuckets)
        {
            throw new CorruptMemoryException(
                $"the header counts {allocatedBuckets} allocated buckets (offset {MemoryManagerLayout.AllocatedBucketsOffset}), but the bucket table has only {MemoryManagerLayout.MaxBuckets} entries");
        }

        var bucketSizeInPages = BinaryPrimitives.ReadUInt16LittleEndian(metadata.AsSpan((int)MemoryManagerLayout.BucketSizeOffset));
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

        var owners = metadata.AsSpan((int)MemoryManagerLayout.BucketTableOffset, MemoryManagerLayout.MaxBuckets);
        var bucketCounts = new int[MemoryManagerLayout.MaxMemories];
        for (var bucket = 0; bucket < owners.Length; bucket++)
        {
            var owner = owners[bucket];
            if (owner == MemoryManagerLayout.UnallocatedBucket)
            {
                continue;
            }

            if (bucket >= allocatedBuckets)
            {
                throw new CorruptMemoryException(
                    $"bucket table entry {bucket} (offset {MemoryManagerLayout.BucketTableEntryOffset(bucket)}) names memory {owner}, but the header counts only {allocatedBuckets} allocated buckets");
            }

            bucketCounts[owner]++;
        }

        var sizes = new ulong[MemoryManagerLayout.MaxMemories];
        for (var id = 0; id < sizes.Length; id++)
        {
            var offset = MemoryManagerLayout.MemorySizeOffset(id);
            sizes[id] = BinaryPrimitives.ReadUInt64LittleEndian(metadata.AsSpan((int)offset));
            var capacity = (ulong)bucketCounts[id] * bucketSizeInPages;
            if (sizes[id] > capacity)
            {
                throw new CorruptMemoryException(
                    $"memory {id} has size {sizes[id]} pages (offset {offset}), but the bucket table gives it {bucketCounts[id]} bucket(s) of {bucketSizeInPages} pages ({capacity} pages)");
            }
        }

        return MemoryManager.Restore(memory, bucketSizeInPages, allocatedBuckets, sizes, owners);
    }
}
