using System.Security.Cryptography;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>A heap vector (Rust's Vec), metered per access.</summary>
public sealed class HeapVector<T> : IHeapContainer
{
    private readonly Heap heap;
    private readonly IStorable<T> codec;
    private readonly List<T> items = [];
    private readonly Stack<(int Index, bool Pushed, T Old)> undo = new();
    private HashSet<int>? changedIndices; // null unless the heap tracks changes (a durable host's deltas)
    private int lengthAtReset; // a pop changes only the length

    internal HeapVector(Heap heap, string name, IStorable<T> codec)
    {
        this.heap = heap;
        Name = name;
        this.codec = codec;
    }

    public string Name { get; }

    public long LiveBytes { get; private set; }

    public int Count => items.Count;

    public T Get(int index)
    {
        var item = items[index];
        heap.Charge(heap.Costs.HeapSlotAccess + heap.Costs.HeapInstructionsPerByte * codec.SizeOf(item));
        return item;
    }

    public void Push(T item)
    {
        heap.RequireExecution(Name);
        var bytes = (long)codec.SizeOf(item);
        heap.Charge(heap.Costs.HeapSlotAccess + heap.Costs.HeapInstructionsPerByte * bytes);
        items.Add(item);
        undo.Push((items.Count - 1, true, default!));
        changedIndices?.Add(items.Count - 1);
        LiveBytes += bytes;
        heap.Changed(this, bytes, bytes);
    }

    public void Set(int index, T item)
    {
        heap.RequireExecution(Name);
        var bytes = (long)codec.SizeOf(item);
        heap.Charge(heap.Costs.HeapSlotAccess + heap.Costs.HeapInstructionsPerByte * bytes);
        var old = items[index];
        var delta = bytes - codec.SizeOf(old);
        items[index] = item;
        undo.Push((index, false, old));
        changedIndices?.Add(index);
        LiveBytes += delta;
        heap.Changed(this, delta, bytes);
    }

    /// <summary>Removes the last item (a Vec::pop); the heap keeps its size.</summary>
    public T Pop()
    {
        heap.RequireExecution(Name);
        heap.Charge(heap.Costs.HeapSlotAccess);
        var last = items[^1];
        items.RemoveAt(items.Count - 1);
        undo.Push((-1, false, last));
        var bytes = (long)codec.SizeOf(last);
        LiveBytes -= bytes;
        heap.Changed(this, -bytes, 0);
        return last;
    }

    public IReadOnlyList<T> Peek() => items;

    void IHeapContainer.UndoLast()
    {
        var (index, pushed, old) = undo.Pop();
        if (pushed)
        {
            LiveBytes -= codec.SizeOf(items[^1]);
            items.RemoveAt(items.Count - 1);
        }
        else if (index < 0)
        {
            items.Add(old);
            LiveBytes += codec.SizeOf(old);
        }
        else
        {
            LiveBytes += codec.SizeOf(old) - (long)codec.SizeOf(items[index]);
            items[index] = old;
        }
    }

    void IHeapContainer.ForgetUndo() => undo.Clear();

    IHeapContainer IHeapContainer.CloneInto(Heap owner)
    {
        var copy = new HeapVector<T>(owner, Name, codec) { LiveBytes = LiveBytes };
        copy.items.AddRange(items);
        return copy;
    }

    HeapContainerKind IHeapContainer.Kind => HeapContainerKind.Vector;

    void IHeapContainer.WriteImage(HeapImageWriter writer)
    {
        writer.WriteLeb128((ulong)items.Count);
        foreach (var item in items)
        {
            writer.WriteElement(codec, item);
        }
    }

    /// <summary>The vector as a heap image holds it (<see cref="PendingContainer"/>), decoded with <paramref name="codec"/>; no undo, no charge.</summary>
    internal static HeapVector<T> Open(Heap heap, PendingContainer image, IStorable<T> codec)
    {
        var vector = new HeapVector<T>(heap, image.Name, codec) { LiveBytes = image.LiveBytes };
        var reader = new HeapImageReader(image.Payload.Span, $"heap image of vector '{image.Name}'");
        for (var count = reader.ReadLeb128("item count"); count > 0; count--)
        {
            vector.items.Add(reader.ReadElement(codec, "item"));
        }

        reader.ExpectEnd();
        return vector;
    }

    void IHeapContainer.ResetChanges(bool record)
    {
        lengthAtReset = items.Count;
        if (record)
        {
            (changedIndices ??= []).Clear();
        }
        else
        {
            changedIndices = null;
        }
    }

    bool IHeapContainer.HasChanges => changedIndices is { } changed && (changed.Count > 0 || items.Count != lengthAtReset);

    /// <summary>leb length now, leb n, n × (leb index, element) for the changed indices below that length, ascending (a pop needs only the length).</summary>
    void IHeapContainer.WriteChanges(HeapImageWriter writer)
    {
        var indices = (changedIndices ?? []).Where(i => i < items.Count).Order().ToList();
        writer.WriteLeb128((ulong)items.Count);
        writer.WriteLeb128((ulong)indices.Count);
        foreach (var index in indices)
        {
            writer.WriteLeb128((ulong)index);
            writer.WriteElement(codec, items[index]);
        }
    }

    void IHeapContainer.Digest(IncrementalHash hash)
    {
        foreach (var item in items)
        {
            hash.AppendData(codec.ToBytes(item));
        }
    }
}
