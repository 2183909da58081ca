using System.Collections;

namespace ActorMigrate.StableMemory;

/// <summary>A growable array in stable memory: the Rust library's <c>StableVec</c>.</summary>
/// <remarks>
/// Layout (little-endian), the <see cref="BaseVec{T}"/> layout with magic "SVC":
/// | offset           | size | field                                               |
/// |------------------|------|-----------------------------------------------------|
/// | 0                | 3    | magic "SVC"                                         |
/// | 3                | 1    | layout version (1)                                  |
/// | 4                | 8    | number of elements L                                |
/// | 12               | 4    | element max size in bytes                           |
/// | 16               | 1    | element fixed-size flag                             |
/// | 17               | 47   | reserved                                            |
/// | 64 + i × SLOT    | SLOT | element i (length prefix unless fixed-size, bytes)  |
///
/// The element codec's bound is part of the format: SLOT comes from it, and opening a vector with a
/// codec of other bounds is refused with <see cref="IncompatibleElementTypeException"/>.
/// </remarks>
public sealed class StableVec<T> : IEnumerable<T>
{
    private const string Name = "StableVec";
    private readonly BaseVec<T> vec;

    private StableVec(BaseVec<T> vec) => this.vec = vec;

    /// <summary>Creates an empty vector, overwriting whatever <paramref name="memory"/> holds (Rust's <c>Vec::new</c>).</summary>
    /// <exception cref="ArgumentException">The codec is unbounded: a vector needs fixed-size slots.</exception>
    /// <exception cref="GrowFailedException">The memory cannot grow to hold the header.</exception>
    public static StableVec<T> New(IMemory memory, IStorable<T> codec) =>
        new(BaseVec<T>.New(memory, codec, LayoutMagic.Vec, Name));

    /// <summary>
    /// Opens the vector <paramref name="memory"/> holds, or creates an empty one when the memory is empty
    /// (Rust's <c>Vec::init</c>). Unlike a Cell, it never formats over other bytes.
    /// </summary>
    /// <exception cref="CorruptMemoryException">The memory holds something else (bad magic), another layout version, or a length beyond the memory.</exception>
    /// <exception cref="IncompatibleElementTypeException">The vector was created with an element codec of other bounds.</exception>
    public static StableVec<T> Init(IMemory memory, IStorable<T> codec) =>
        new(BaseVec<T>.Init(memory, codec, LayoutMagic.Vec, Name));

    public IMemory Memory => vec.Memory;

    /// <summary>The number of elements (read from memory each time, as the Rust library does).</summary>
    public ulong Count => vec.Count;

    public bool IsEmpty => Count == 0;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public T Get(ulong index) =>
        vec.TryGet(index, out var value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is beyond the {Name}'s {Count} elements");

    public bool TryGet(ulong index, out T value) => vec.TryGet(index, out value);

    /// <summary>Replaces the element at <paramref name="index"/>, which must exist.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public void Set(ulong index, T value) => vec.Set(index, value);

    /// <summary>Appends an element, growing the memory when needed.</summary>
    /// <exception cref="GrowFailedException">The memory cannot grow; the vector is unchanged.</exception>
    public void Push(T value) => vec.Push(value);

    /// <summary>Removes the last element, if any.</summary>
    public bool TryPop(out T value) => vec.TryPop(out value);

    /// <summary>Removes every element (one write of the length; the memory keeps its size).</summary>
    public void Clear() => vec.Clear();

    public IEnumerator<T> GetEnumerator() => vec.Enumerate().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
