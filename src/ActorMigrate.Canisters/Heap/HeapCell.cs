using System.Security.Cryptography;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>A single heap value (a Rust <c>thread_local! RefCell&lt;T&gt;</c>), metered per access.</summary>
public sealed class HeapCell<T> : IHeapContainer
{
    private readonly Heap heap;
    private readonly IStorable<T> codec;
    private readonly Stack<T> undo = new();
    private T value;
    private bool recordChanges; // the heap tracks changes (a durable host's deltas)
    private bool changed;

    internal HeapCell(Heap heap, string name, IStorable<T> codec, T initial)
        : this(heap, name, codec, initial, codec.SizeOf(initial))
    {
        // The initial value is a change like any other: a rollback of the creating execution undoes it.
        undo.Push(initial);
        heap.Changed(this, LiveBytes, LiveBytes);
    }

    private HeapCell(Heap heap, string name, IStorable<T> codec, T value, long liveBytes)
    {
        this.heap = heap;
        Name = name;
        this.codec = codec;
        this.value = value;
        LiveBytes = liveBytes;
    }

    public string Name { get; }

    public long LiveBytes { get; private set; }

    public T Get()
    {
        heap.Charge(heap.Costs.HeapSlotAccess + heap.Costs.HeapInstructionsPerByte * LiveBytes);
        return value;
    }

    public void Set(T newValue)
    {
        heap.RequireExecution(Name);
        var newBytes = (long)codec.SizeOf(newValue);
        heap.Charge(heap.Costs.HeapSlotAccess + heap.Costs.HeapInstructionsPerByte * newBytes);
        undo.Push(value);
        var delta = newBytes - LiveBytes;
        value = newValue;
        LiveBytes = newBytes;
        changed |= recordChanges;
        heap.Changed(this, delta, newBytes);
    }

    public T Peek() => value;

    void IHeapContainer.UndoLast()
    {
        value = undo.Pop();
        LiveBytes = codec.SizeOf(value);
    }

    void IHeapContainer.ForgetUndo() => undo.Clear();

    IHeapContainer IHeapContainer.CloneInto(Heap owner) => new HeapCell<T>(owner, Name, codec, value, LiveBytes);

    HeapContainerKind IHeapContainer.Kind => HeapContainerKind.Cell;

    void IHeapContainer.WriteImage(HeapImageWriter writer) => writer.WriteElement(codec, value);

    /// <summary>The cell as a heap image holds it (<see cref="PendingContainer"/>), decoded with <paramref name="codec"/>; no undo, no charge.</summary>
    internal static HeapCell<T> Open(Heap heap, PendingContainer image, IStorable<T> codec)
    {
        var reader = new HeapImageReader(image.Payload.Span, $"heap image of cell '{image.Name}'");
        var value = reader.ReadElement(codec, "value");
        reader.ExpectEnd();
        return new HeapCell<T>(heap, image.Name, codec, value, image.LiveBytes);
    }

    void IHeapContainer.ResetChanges(bool record)
    {
        recordChanges = record;
        changed = false;
    }

    bool IHeapContainer.HasChanges => changed;

    /// <summary>The value, as in the image (a cell that did not change is not in a delta at all).</summary>
    void IHeapContainer.WriteChanges(HeapImageWriter writer) => writer.WriteElement(codec, value);

    void IHeapContainer.Digest(IncrementalHash hash) => hash.AppendData(codec.ToBytes(value));
}
