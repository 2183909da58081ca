using System.Security.Cryptography;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// An unordered heap map (Rust's HashMap). Each operation is metered by the cost model; its bytes are
/// the encodings of its keys and values by their codecs.
/// </summary>
public sealed class HeapMap<TKey, TValue> : IHeapContainer where TKey : notnull
{
    private readonly Heap heap;
    private readonly IStorable<TKey> keys;
    private readonly IStorable<TValue> values;
    private readonly Dictionary<TKey, TValue> entries;
    private readonly Stack<(TKey Key, bool Existed, TValue Old)> undo = new();
    private HashSet<TKey>? changedKeys; // null unless the heap tracks changes (a durable host's deltas)

    internal HeapMap(Heap heap, string name, IStorable<TKey> keys, IStorable<TValue> values)
    {
        this.heap = heap;
        Name = name;
        this.keys = keys;
        this.values = values;
        entries = new Dictionary<TKey, TValue>(KeyEquality.For<TKey>());
    }

    public string Name { get; }

    public long LiveBytes { get; private set; }

    public int Count => entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        var costs = heap.Costs;
        var found = entries.TryGetValue(key, out value!);
        heap.Charge(costs.HeapMapGet + (found ? costs.HeapInstructionsPerByte * values.SizeOf(value) : 0));
        return found;
    }

    public TValue? GetOrDefault(TKey key) => TryGet(key, out var value) ? value : default;

    public bool ContainsKey(TKey key)
    {
        heap.Charge(heap.Costs.HeapMapGet);
        return entries.ContainsKey(key);
    }

    /// <summary>Inserts or replaces; returns whether the key was new.</summary>
    public bool Insert(TKey key, TValue value)
    {
        heap.RequireExecution(Name);
        var newBytes = keys.SizeOf(key) + (long)values.SizeOf(value);
        heap.Charge(heap.Costs.HeapMapInsert + heap.Costs.HeapInstructionsPerByte * newBytes);
        var existed = entries.TryGetValue(key, out var old);
        var oldBytes = existed ? keys.SizeOf(key) + (long)values.SizeOf(old!) : 0;
        entries[key] = value;
        undo.Push((key, existed, old!));
        changedKeys?.Add(key);
        LiveBytes += newBytes - oldBytes;
        heap.Changed(this, newBytes - oldBytes, newBytes);
        return !existed;
    }

    /// <summary>Removes <paramref name="key"/>; returns whether it was there. The heap keeps its size.</summary>
    public bool Remove(TKey key)
    {
        heap.RequireExecution(Name);
        heap.Charge(heap.Costs.HeapMapRemove);
        if (!entries.Remove(key, out var old))
        {
            return false;
        }

        var oldBytes = keys.SizeOf(key) + (long)values.SizeOf(old);
        undo.Push((key, true, old));
        changedKeys?.Add(key);
        LiveBytes -= oldBytes;
        heap.Changed(this, -oldBytes, 0);
        return true;
    }

    /// <summary>The entries without metering (tests, the harness, digests).</summary>
    public IReadOnlyDictionary<TKey, TValue> Peek() => entries;

    /// <summary>
    /// Serializes every entry (<see cref="HeapSerialization"/>) — Candid in a Rust pre_upgrade — charging
    /// per output byte; the blob is held on the heap meanwhile, so the heap's high-water mark grows by it.
    /// </summary>
    public byte[] Serialize() => heap.Serialize(entries, keys, values);

    /// <summary>Inserts every entry of a <see cref="Serialize"/>d blob (post_upgrade), metered as inserts plus decoding.</summary>
    public void Deserialize(ReadOnlySpan<byte> bytes)
    {
        foreach (var (key, value) in heap.Deserialize(bytes, keys, values))
        {
            Insert(key, value);
        }
    }

    void IHeapContainer.UndoLast()
    {
        var (key, existed, old) = undo.Pop();
        LiveBytes -= entries.TryGetValue(key, out var current) ? keys.SizeOf(key) + (long)values.SizeOf(current) : 0;
        if (existed)
        {
            entries[key] = old;
            LiveBytes += keys.SizeOf(key) + (long)values.SizeOf(old);
        }
        else
        {
            entries.Remove(key);
        }
    }

    void IHeapContainer.ForgetUndo() => undo.Clear();

    IHeapContainer IHeapContainer.CloneInto(Heap owner)
    {
        var copy = new HeapMap<TKey, TValue>(owner, Name, keys, values) { LiveBytes = LiveBytes };
        foreach (var (key, value) in entries)
        {
            copy.entries.Add(key, value);
        }

        return copy;
    }

    HeapContainerKind IHeapContainer.Kind => HeapContainerKind.Map;

    /// <summary>Entries sorted by their key bytes, so equal maps give equal images whatever their insertion history.</summary>
    void IHeapContainer.WriteImage(HeapImageWriter writer) => HeapMapImage.WriteEntries(writer, entries, keys, values);

    void IHeapContainer.ResetChanges(bool record)
    {
        if (record)
        {
            (changedKeys ??= new HashSet<TKey>(KeyEquality.For<TKey>())).Clear();
        }
        else
        {
            changedKeys = null;
        }
    }

    bool IHeapContainer.HasChanges => changedKeys is { Count: > 0 };

    void IHeapContainer.WriteChanges(HeapImageWriter writer) =>
        HeapMapImage.WriteChanges(writer, changedKeys ?? [], key => (entries.TryGetValue(key, out var value), value!), keys, values);

    /// <summary>The map as a heap image holds it (<see cref="PendingContainer"/>), decoded with the module's codecs; no undo, no charge.</summary>
    internal static HeapMap<TKey, TValue> Open(Heap heap, PendingContainer image, IStorable<TKey> keys, IStorable<TValue> values)
    {
        var map = new HeapMap<TKey, TValue>(heap, image.Name, keys, values) { LiveBytes = image.LiveBytes };
        var reader = new HeapImageReader(image.Payload.Span, $"heap image of map '{image.Name}'");
        for (var count = reader.ReadLeb128("entry count"); count > 0; count--)
        {
            var key = reader.ReadElement(keys, "key");
            map.entries.Add(key, reader.ReadElement(values, "value"));
        }

        reader.ExpectEnd();
        return map;
    }

    void IHeapContainer.Digest(IncrementalHash hash)
    {
        // Order-independent: XOR of per-entry hashes, so the digest does not depend on Dictionary order.
        var folded = new byte[32];
        foreach (var (key, value) in entries)
        {
            HeapMapDigest.Fold(folded, keys.ToBytes(key), values.ToBytes(value));
        }

        hash.AppendData(folded);
    }
}
