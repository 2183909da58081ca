using System.Collections;

namespace ActorMigrate.StableMemory;

/// <summary>
/// A binary min-heap in stable memory (smallest element first): the Rust library's <c>MinHeap</c>.
/// Elements are ordered by the codec's <see cref="IComparer{T}.Compare"/>, which must match the Rust type's <c>Ord</c>.
/// </summary>
/// <remarks>
/// Layout (little-endian), the <see cref="BaseVec{T}"/> layout with magic "SMH":
/// | offset           | size | field                                               |
/// |------------------|------|-----------------------------------------------------|
/// | 0                | 3    | magic "SMH"                                         |
/// | 3                | 1    | layout version (1)                                  |
/// | 4                | 8    | number of elements L                                |
/// | 12               | 4    | element max size in bytes                           |
/// | 16               | 1    | element fixed-size flag                             |
/// | 17               | 47   | reserved                                            |
/// | 64 + i × SLOT    | SLOT | heap array element i (children of i: 2i+1, 2i+2)    |
///
/// Which slot holds which element is part of the format, so push and pop move elements exactly as
/// the Rust library does: a hole is carried up (or down) and the moved element is written once, at
/// the end, and only if it moved.
/// </remarks>
public sealed class StableMinHeap<T> : IEnumerable<T>
{
    private const string Name = "StableMinHeap";
    private readonly BaseVec<T> vec;
    private readonly IComparer<T> order;

    private StableMinHeap(BaseVec<T> vec, IComparer<T> order)
    {
        this.vec = vec;
        this.order = order;
    }

    /// <summary>Creates an empty heap, overwriting whatever <paramref name="memory"/> holds.</summary>
    public static StableMinHeap<T> New(IMemory memory, IStorable<T> codec) =>
        new(BaseVec<T>.New(memory, codec, LayoutMagic.MinHeap, Name), codec);

    /// <summary>Opens the heap <paramref name="memory"/> holds, or creates an empty one when the memory is empty.</summary>
    /// <exception cref="CorruptMemoryException">The memory holds something else (bad magic), another layout version, or a length beyond the memory.</exception>
    /// <exception cref="IncompatibleElementTypeException">The heap was created with an element codec of other bounds.</exception>
    public static StableMinHeap<T> Init(IMemory memory, IStorable<T> codec) =>
        new(BaseVec<T>.Init(memory, codec, LayoutMagic.MinHeap, Name), codec);

    public IMemory Memory => vec.Memory;

    public ulong Count => vec.Count;

    public bool IsEmpty => Count == 0;

    /// <summary>Adds an element.</summary>
    /// <exception cref="GrowFailedException">The memory cannot grow; the heap is unchanged.</exception>
    public void Push(T value)
    {
        vec.Push(value);
        BubbleUp(vec.Count - 1, value);
    }

    /// <summary>Removes and returns the smallest element, if any.</summary>
    public bool TryPop(out T value)
    {
        var count = Count;
        if (count <= 1)
        {
            return vec.TryPop(out value);
        }

        value = Element(0);
        vec.TryPop(out var last);
        vec.Set(0, last);
        BubbleDown(count - 1, last);
        return true;
    }

    /// <summary>The smallest element, if any, without removing it.</summary>
    public bool TryPeek(out T value) => vec.TryGet(0, out value);

    /// <summary>Removes every element.</summary>
    public void Clear() => vec.Clear();

    /// <summary>The elements in heap-array order (not sorted).</summary>
    public IEnumerator<T> GetEnumerator() => vec.Enumerate().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // A checked read, length included, like the Rust library's `get(i).unwrap()`: the heap makes the
    // same memory accesses, so it meters the same.
    private T Element(ulong index) =>
        vec.TryGet(index, out var value)
            ? value
            : throw new CorruptMemoryException($"{Name} element {index} is missing: the length changed underneath the heap");

    /// <summary>Moves the element at <paramref name="index"/> (which holds <paramref name="item"/>) up past larger parents.</summary>
    private void BubbleUp(ulong index, T item)
    {
        var moved = false;
        while (index > 0)
        {
            var parentIndex = (index - 1) / 2;
            var parent = Element(parentIndex);
            if (order.Compare(item, parent) >= 0)
            {
                break;
            }

            vec.Set(index, parent);
            moved = true;
            index = parentIndex;
        }

        if (moved)
        {
            vec.Set(index, item);
        }
    }

    /// <summary>Moves <paramref name="item"/>, now at the root, down past smaller children within the first <paramref name="count"/> slots.</summary>
    private void BubbleDown(ulong count, T item)
    {
        ulong index = 0;
        var moved = false;
        while (true)
        {
            var left = (index * 2) + 1;
            var right = left + 1;
            if (left >= count)
            {
                break;
            }

            ulong smallestIndex;
            T smallest;
            var leftValue = Element(left);
            if (right >= count)
            {
                (smallestIndex, smallest) = (left, leftValue);
            }
            else
            {
                var rightValue = Element(right);
                (smallestIndex, smallest) = order.Compare(leftValue, rightValue) < 0 ? (left, leftValue) : (right, rightValue);
            }

            if (order.Compare(smallest, item) >= 0)
            {
                break;
            }

            vec.Set(index, smallest);
            moved = true;
            index = smallestIndex;
        }

        if (moved)
        {
            vec.Set(index, item);
        }
    }
}
