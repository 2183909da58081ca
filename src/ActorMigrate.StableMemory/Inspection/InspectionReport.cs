namespace ActorMigrate.StableMemory.Inspection;

/// <summary>What <see cref="ImageInspector"/> found in a stable memory image.</summary>
/// <param name="SizeInBytes">The image file's length.</param>
/// <param name="SizeInPages">The memory it stands for, in 64 KiB pages (a partial last page counts).</param>
/// <param name="Manager">The MemoryManager, when the image starts with "MGR".</param>
/// <param name="Memories">The raw memory (without a manager), or every virtual memory that has pages or buckets.</param>
/// <param name="Problems">What is wrong, memory by memory (each such memory's content is of kind <c>corrupt</c>); empty for a sound image.</param>
public sealed record InspectionReport(
    ulong SizeInBytes,
    ulong SizeInPages,
    ManagerReport? Manager,
    IReadOnlyList<MemoryReport> Memories,
    IReadOnlyList<string> Problems);

/// <summary>A MemoryManager's header: its bucket size and how many buckets it handed out.</summary>
public sealed record ManagerReport(byte LayoutVersion, ushort BucketSizeInPages, int AllocatedBuckets);

/// <summary>One memory: <c>raw</c> or a virtual memory id, its size, its buckets (virtual memories only) and what it holds.</summary>
public sealed record MemoryReport(string Id, ulong SizeInPages, IReadOnlyList<ushort>? Buckets, StructureReport Content);

/// <summary>
/// What a memory holds, identified by its magic and header: <see cref="Kind"/> is one of <c>empty</c>,
/// <c>btreemap</c>, <c>cell</c>, <c>vec</c>, <c>minheap</c>, <c>log-index</c>, <c>log-data</c>,
/// <c>length-prefixed-blob</c>, <c>zeros</c>, <c>unknown</c> or <c>corrupt</c> (a known magic with a header that
/// contradicts itself or the memory: the summary says what and where); <see cref="Details"/> holds the header's fields
/// by name, in a fixed order.
/// </summary>
public sealed record StructureReport(string Kind, string Summary, IReadOnlyList<KeyValuePair<string, object>> Details);
