namespace ActorMigrate.StableMemory;

/// <summary>
/// Offsets and limits of the MemoryManager's layout version 1 (see <see cref="MemoryManager"/> for the
/// table). Kept apart so tests and tools can build and inspect images from the documented layout.
/// </summary>
public static class MemoryManagerLayout
{
    /// <summary>The bytes "MGR" at offset 0: the sign that a MemoryManager owns the memory.</summary>
    public static ReadOnlySpan<byte> Magic => "MGR"u8;

    public const byte LayoutVersion = 1;

    /// <summary>Virtual memories are numbered 0–254; 255 marks a bucket that no memory owns.</summary>
    public const int MaxMemories = 255;

    /// <summary>The byte in the bucket table of a bucket that no memory owns.</summary>
    public const byte UnallocatedBucket = 255;

    /// <summary>At the default 128 pages per bucket this caps all memories together at 256 GiB.</summary>
    public const int MaxBuckets = 32_768;

    public const ushort DefaultBucketSizeInPages = 128;

    public const ulong VersionOffset = 3;
    public const ulong AllocatedBucketsOffset = 4;
    public const ulong BucketSizeOffset = 6;
    public const ulong ReservedOffset = 8;
    public const int ReservedLength = 32;
    public const ulong MemorySizesOffset = 40;

    /// <summary>Magic, version, bucket count and size, reserved space, 255 sizes: 2,080 bytes.</summary>
    public const int HeaderLength = (int)MemorySizesOffset + MaxMemories * 8;

    /// <summary>The bucket table (one owner byte per bucket) follows the header.</summary>
    public const ulong BucketTableOffset = HeaderLength;

    /// <summary>Header plus bucket table: 34,848 bytes, all inside page 0.</summary>
    public const int MetadataLength = HeaderLength + MaxBuckets;

    /// <summary>Bucket 0 starts at page 1; page 0 holds only the metadata.</summary>
    public const ulong BucketsOffsetInPages = 1;

    /// <summary>Where the size of memory <paramref name="memoryId"/> is stored.</summary>
    public static ulong MemorySizeOffset(int memoryId) => MemorySizesOffset + (ulong)memoryId * 8;

    /// <summary>Where the owner of bucket <paramref name="bucket"/> is stored.</summary>
    public static ulong BucketTableEntryOffset(int bucket) => BucketTableOffset + (ulong)bucket;
}
