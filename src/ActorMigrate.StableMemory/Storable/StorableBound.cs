namespace ActorMigrate.StableMemory;

/// <summary>
/// How large a type's encoding can be: the Rust library's <c>Bound</c>. Structures derive their layout
/// from it (a BTreeMap's page size, a Vec's slot size), so it is part of the on-disk format.
/// </summary>
public readonly record struct StorableBound
{
    private StorableBound(bool isBounded, uint maxSize, bool isFixedSize)
    {
        IsBounded = isBounded;
        MaxSize = maxSize;
        IsFixedSize = isFixedSize;
    }

    /// <summary>No size limit (Rust's <c>Bound::Unbounded</c>).</summary>
    public static StorableBound Unbounded { get; } = new(false, 0, false);

    /// <summary>At most <paramref name="maxSize"/> bytes; with <paramref name="isFixedSize"/>, always exactly that many.</summary>
    public static StorableBound Bounded(uint maxSize, bool isFixedSize = false) => new(true, maxSize, isFixedSize);

    public bool IsBounded { get; }

    /// <summary>The largest encoding in bytes; only meaningful when <see cref="IsBounded"/>.</summary>
    public uint MaxSize { get; }

    public bool IsFixedSize { get; }

    public override string ToString() =>
        !IsBounded ? "unbounded" : IsFixedSize ? $"fixed {MaxSize} bytes" : $"at most {MaxSize} bytes";
}
