using System.Security.Cryptography;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// An ordered heap map (Rust's std BTreeMap, what the NNS dapp kept its accounts in), ordered by the
/// key codec's order. Metered per operation; range scans charge a lookup per entry visited.
/// </summary>
/// <remarks>
/// Each entry keeps its key's and value's encoded sizes, taken once when it is inserted: every read is
/// charged by the value's size, and measuring a record's encoding (a UTF-8 count per string of an
/// account) on every read and range step cost more host time than the read itself.
/// </remarks>
public sealed class HeapOrderedMap<TKey, TValue> : IHeapContainer
{
    private readonly Heap heap;
    private readonly IStorable<TKey> keys;
    private readonly IStorable<TValue> values;
    private readonly SortedSet<Entry> entries;
    private readonly Stack<(TKey Key, bool Existed, Entry Old)> undo = new();
    private SortedSet<TKey>? changedKeys; // null unless the heap tracks changes (a durable host's deltas)

    internal HeapOrderedMap(Heap heap, string name, IStorable<TKey> keys, IStorable<TValue> values)
    {
        this.heap = heap;
        Name = name;
        this.keys = keys;
        this.values = values;
        entries = new SortedSet<Entry>(Comparer<Entry>.Create((a, b) => keys.Compare(a.Key, b.Key)));
    }

    private readonly record struct Entry(TKey Key, TValue Value, int KeySize, int ValueSize)
    {
        public long Bytes => KeySize + (long)ValueSize;

        public KeyValuePair<TKey, TValue> Pair => new(Key, Value);
    }

    private Entry Measured(TKey key, TValue value) => new(key, value, keys.SizeOf(key), values.SizeOf(value));

    public string Name { get; }

    public long LiveBytes { get; private set; }

    public int Count => entries.Count;

    private static Entry Probe(TKey key) => new(key, default!, 0, 0);

    public bool TryGet(TKey key, out TValue value)
    {
        var found = entries.TryGetValue(Probe(key), out var entry);
        value = entry.Value;
        heap.Charge(heap.Costs.HeapMapGet + (found ? heap.Costs.HeapInstructionsPerByte * entry.ValueSize : 0));
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
        var added = Measured(key, value);
        var newBytes = added.Bytes;
        heap.Charge(heap.Costs.HeapMapInsert + heap.Costs.HeapInstructionsPerByte * newBytes);
        var existed = entries.TryGetValue(Probe(key), out var old);
        long oldBytes = 0;
        if (existed)
        {
            entries.Remove(old);
            oldBytes = old.Bytes;
        }

        entries.Add(added);
        undo.Push((key, existed, old));
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
        var oldBytes = old.Bytes;
        undo.Push((key, true, old));
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

            heap.Charge(heap.Costs.HeapMapGet + heap.Costs.HeapInstructionsPerByte * entry.ValueSize);
            result.Add(entry.Pair);
        }

        return result;
    }

    /// <summary>The entry with the smallest key, or null when empty; metered as a lookup.</summary>
    public KeyValuePair<TKey, TValue>? First() => Edge(entries.Count == 0 ? null : entries.Min);

    /// <summary>The entry with the largest key, or null when empty; metered as a lookup.</summary>
    public KeyValuePair<TKey, TValue>? Last() => Edge(entries.Count == 0 ? null : entries.Max);

    private KeyValuePair<TKey, TValue>? Edge(Entry? entry)
    {
        heap.Charge(heap.Costs.HeapMapGet + (entry is { } e ? heap.Costs.HeapInstructionsPerByte * e.ValueSize : 0));
        return entry?.Pair;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> Peek() => Pairs;

    /// <summary>The entries as key-value pairs, in key order, for the encoders that take them.</summary>
    private PairView Pairs => new(entries);

    /// <summary>
    /// Serializes every entry (<see cref="HeapSerialization"/>) — Candid in a Rust pre_upgrade — charging
    /// per output byte; the blob is held on the heap meanwhile, so the heap's high-water mark grows by it.
    /// </summary>
    public byte[] Serialize() => heap.Serialize(Pairs, keys, values);

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
            LiveBytes -= current.Bytes;
        }

        if (existed)
        {
            entries.Add(old);
            LiveBytes += old.Bytes;
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
    void IHeapContainer.WriteImage(HeapImageWriter writer) => HeapMapImage.WriteEntries(writer, Pairs, keys, values);

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
            map.entries.Add(map.Measured(key, reader.ReadElement(values, "value")));
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

    /// <summary>A read-only view of the entries as key-value pairs (no copy).</summary>
    private sealed class PairView(SortedSet<Entry> entries) : IReadOnlyCollection<KeyValuePair<TKey, TValue>>
    {
        public int Count => entries.Count;

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
        {
            foreach (var entry in entries)
            {
                yield return entry.Pair;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
