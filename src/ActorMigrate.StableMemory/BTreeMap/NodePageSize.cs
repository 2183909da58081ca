namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The size of the chunk each node starts in: the Rust library's <c>PageSize</c>. Either a plain
/// value (layout version 2 maps) or derived from the key and value bounds of a version-1 map, in
/// which case it is the full size of a version-1 node and the header keeps the two bounds.
/// </summary>
internal readonly record struct NodePageSize
{
    private NodePageSize(uint bytes, bool isDerived, uint maxKeySize, uint maxValueSize)
    {
        Bytes = bytes;
        IsDerived = isDerived;
        MaxKeySize = maxKeySize;
        MaxValueSize = maxValueSize;
    }

    /// <summary>The page size in bytes.</summary>
    public uint Bytes { get; }

    /// <summary>True when the size comes from the bounds of a version-1 map.</summary>
    public bool IsDerived { get; }

    public uint MaxKeySize { get; }

    public uint MaxValueSize { get; }

    public static NodePageSize Value(uint bytes) => new(bytes, false, 0, 0);

    public static NodePageSize Derived(uint maxKeySize, uint maxValueSize) =>
        new(checked((uint)NodeLayoutV1.NodeSize(maxKeySize, maxValueSize)), true, maxKeySize, maxValueSize);
}
