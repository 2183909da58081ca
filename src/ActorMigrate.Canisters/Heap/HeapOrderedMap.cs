using System.Security.Cryptography;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// An ordered heap map (Rust's std BTreeMap, what the NNS dapp kept its accounts in), ordered by the
/// key codec's order. Metered per operation; range scans charge a lookup per entry visited.
/// </summary>
public sealed class HeapOrderedMap<TKey, TValue> : IHeapContainer
{
    private readonly Heap heap;
    private readonly IStorable<TKey> keys;
    private readonly IStorable<TValue> values;
    private readonly SortedSet<KeyValuePair<TKey, TValue>> entries;
    private readonly Stack<(TKey Key, bool Existed, TValue Old)> undo = new();
    private SortedSet<TKey>? changedKeys; // null unless the heap tracks changes (a durable host's deltas)

    internal HeapOrderedMap(Heap heap, string name, IStorable<TKey> keys, IStorable<TValue> values)
    {
        this.heap = heap;
        Name = name;
        this.keys = keys;
        this.values = values;
        entries = new SortedSet<KeyValuePair<TKey, TValue>>(Comparer<KeyValuePair<TKey, TValue>>.Create((a, b) => keys.Compare(a.Key, b.Key)));
    }

    public string Name { get; }

    public long LiveBytes { get; private set; }

    public int Count => entries.Count;

    private static KeyValuePair<TKey, TValue> Probe(TKey key) => new(key, default!);

    public bool TryGet(TKey key, out TValue value)
    {
        var found = entries.TryGetValue(Probe(key), out var entry);
        value = entry.Value;
        heap.Charge(heap.Costs.HeapMapGet + (found ? heap.Costs.HeapInstructionsPerByte * values.SizeOf(value) : 0));
        return found;
    }

    public TValue? GetOrDefault(TKey key) => TryGet(key, out var value) ? value : default;

    public bool ContainsKey(TKey key)
    {
        heap.Charge(heap.Costs.HeapMapGet);
        return entries.Contains(Probe(key));
    }

    public bool Insert(TKey key, TValue value)
    {
        heap.RequireExecution(Name);
        var newBytes = keys.SizeOf(key) + (long)values.SizeOf(value);
        heap.Charge(heap.Costs.HeapMapInsert + heap.Costs.HeapInstructionsPerByte * newBytes);
        var existed = entries.TryGetValue(Probe(key), out var old);
        long oldBytes = 0;
        if (existed)
        {
            entries.Remove(old);
            oldBytes = keys.SizeOf(old.Key) + (long)values.SizeOf(old.Value);
        }

        entries.Add(new(key, value));
        undo.Push((key, existed, old.Value));
        changedKeys?.Add(key);
        LiveBytes += newBytes - oldBytes;
        heap.Changed(this, newBytes - oldBytes, newBytes);
        return !existed;
    }

    public bool Remove(TKey key)
    {
        heap.RequireExecution(Name);
        heap.Charge(heap.Costs.HeapMapRemove);
        if (!entries.TryGetValue(Probe(key), out var old))
        {
            return false;
        }

        entries.Remove(old);
        var oldBytes = keys.SizeOf(old.Key) + (long)values.SizeOf(old.Value);
        undo.Push((key, true, old.Value));
        changedKeys?.Add(key);
        LiveBytes -= oldBytes;
        heap.Changed(this, -oldBytes, 0);
        return true;
    }

    /// <summary>Up to <paramref name="limit"/> entries with keys ≥ <paramref name="from"/> (all when null), in order; metered per entry.</summary>
    public List<KeyValuePair<TKey, TValue>> Range(TKey? from, int limit)
    {
        var result = new List<KeyValuePair<TKey, TValue>>();
        if (entries.Count == 0 || limit <= 0)
        {
            return result;
        }

        var view = from is null ? entries : keys.Compare(from, entries.Max.Key) > 0 ? [] : entries.GetViewBetween(Probe(from), entries.Max);
        foreach (var entry in view)
        {
            if (result.Count == limit)
            {
                break;
            }

            heap.Charge(heap.Costs.HeapMapGet + heap.Costs.HeapInstructionsPerByte * values.SizeOf(entry.Value));
            result.Add(entry);
        }

        return result;
    }

    /// <summary>The entry with the smallest key, or null when empty; metered as a lookup.</summary>
    public KeyValuePair<TKey, TValue>? First() => Edge(entries.Count == 0 ? null : entries.Min);

    /// <summary>The entry with the largest key, or null when empty; metered as a lookup.</summary>
    public KeyValuePair<TKey, TValue>? Last() => Edge(entries.Count == 0 ? null : entries.Max);

    private KeyValuePair<TKey, TValue>? Edge(KeyValuePair<TKey, TValue>? entry)
    {
        heap.Charge(heap.Costs.HeapMapGet + (entry is { } e ? heap.Costs.HeapInstructionsPerByte * values.SizeOf(e.Value) : 0));
        return entry;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> Peek() => entries;

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
        if (entries.TryGetValue(Probe(key), out var current))
        {
            entries.Remove(current);
            LiveBytes -= keys.SizeOf(current.Key) + (long)values.SizeOf(current.Value);
        }

        if (existed)
        {
            entries.Add(new(key, old));
            LiveBytes += keys.SizeOf(key) + (long)values.SizeOf(old);
        }
    }

    void IHeapContainer.ForgetUndo() => undo.Clear();

    IHeapContainer IHeapContainer.CloneInto(Heap owner)
    {
        var copy = new HeapOrderedMap<TKey, TValue>(owner, Name, keys, values) { LiveBytes = LiveBytes };
        copy.entries.UnionWith(entries);
        return copy;
    }

    HeapContainerKind IHeapContainer.Kind => HeapContainerKind.OrderedMap;

    /// <summary>Entries sorted by their key BYTES (not the codec's order), like <see cref="HeapMap{TKey,TValue}"/>: canonical, and mergeable without codecs.</summary>
    void IHeapContainer.WriteImage(HeapImageWriter writer) => HeapMapImage.WriteEntries(writer, entries, keys, values);

    void IHeapContainer.ResetChanges(bool record)
    {
        if (record)
        {
            (changedKeys ??= new SortedSet<TKey>(Comparer<TKey>.Create(keys.Compare))).Clear();
        }
        else
        {
            changedKeys = null;
        }
    }

    bool IHeapContainer.HasChanges => changedKeys is { Count: > 0 };

    void IHeapContainer.WriteChanges(HeapImageWriter writer) =>
        HeapMapImage.WriteChanges(writer, changedKeys ?? [], key => (entries.TryGetValue(Probe(key), out var entry), entry.Value), keys, values);

    /// <summary>The map as a heap image holds it (<see cref="PendingContainer"/>), decoded with the module's codecs; no undo, no charge.</summary>
    internal static HeapOrderedMap<TKey, TValue> Open(Heap heap, PendingContainer image, IStorable<TKey> keys, IStorable<TValue> values)
    {
        var map = new HeapOrderedMap<TKey, TValue>(heap, image.Name, keys, values) { LiveBytes = image.LiveBytes };
        var reader = new HeapImageReader(image.Payload.Span, $"heap image of ordered map '{image.Name}'");
        for (var count = reader.ReadLeb128("entry count"); count > 0; count--)
        {
            var key = reader.ReadElement(keys, "key");
            map.entries.Add(new(key, reader.ReadElement(values, "value")));
        }

        reader.ExpectEnd();
        return map;
    }

    /// <summary>Order-independent, like <see cref="HeapMap{TKey,TValue}"/>'s, so an opened and a pending container digest alike.</summary>
    void IHeapContainer.Digest(IncrementalHash hash)
    {
        var folded = new byte[32];
        foreach (var entry in entries)
        {
            HeapMapDigest.Fold(folded, keys.ToBytes(entry.Key), values.ToBytes(entry.Value));
        }

        hash.AppendData(folded);
    }
}
