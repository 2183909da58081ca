using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.Migration;

/// <summary>
/// A store in a StableBTreeMap in one virtual memory of the canister's MemoryManager, running on the
/// execution's metered stable memory: the map's memory accesses are charged as system calls plus the
/// MemoryManager's translation, and each operation's own Wasm work from the cost model's BTreeMap row.
/// </summary>
public sealed class StableStore<K, V> : IStore<K, V>
{
    private readonly Ic0 ic;
    private readonly StableBTreeMap<K, V> map;
    private readonly StructureCosts costs;

    private StableStore(Ic0 ic, StableBTreeMap<K, V> map)
    {
        this.ic = ic;
        this.map = map;
        costs = ic.Costs.BTreeMap;
    }

    /// <summary>Opens (or creates) the map in virtual memory <paramref name="memoryId"/> of <paramref name="manager"/>.</summary>
    public static StableStore<K, V> Open(Ic0 ic, MemoryManager manager, int memoryId, IStorable<K> keys, IStorable<V> values) =>
        new(ic, StableBTreeMap<K, V>.Init(ic.ForStructure(ic.VirtualMemory(manager, memoryId), ic.Costs.BTreeMap), keys, values));

    public StableBTreeMap<K, V> Map => map;

    public SchemaLabel Schema => SchemaLabel.Stable;

    public long Count => (long)map.LongCount;

    public bool TryGet(K key, out V value)
    {
        ic.ChargeWasm(costs.Get);
        var found = map.TryGetValue(key, out var v);
        value = v!;
        return found;
    }

    /// <summary>The stored encoding hashed as it is: a lookup's charge and memory reads, then <see cref="RecordDigest.OfStored"/>; metered by the store's own execution, like its other operations.</summary>
    public ulong? ReadBackHash(Ic0 execution, IStorable<K> keys, IStorable<V> values, K key)
    {
        ic.ChargeWasm(costs.Get);
        return map.TryGetValueBytes(key, out var stored) ? RecordDigest.OfStored(ic, keys, key, stored) : null;
    }

    public bool Contains(K key)
    {
        ic.ChargeWasm(costs.Get);
        return map.ContainsKey(key);
    }

    public bool Insert(K key, V value)
    {
        ic.ChargeWasm(costs.Insert);
        return !map.Insert(key, value, out _);
    }

    public bool Remove(K key)
    {
        ic.ChargeWasm(costs.Remove);
        return map.Remove(key);
    }

    public KeyValuePair<K, V>? First()
    {
        ic.ChargeWasm(costs.Get);
        return map.First();
    }

    public KeyValuePair<K, V>? Last()
    {
        ic.ChargeWasm(costs.Get);
        return map.Last();
    }

    public IReadOnlyList<KeyValuePair<K, V>> Range(K? from, bool inclusive, int limit)
    {
        ic.ChargeWasm(costs.Get);
        var range = from is null
            ? map.Range()
            : map.Range(from, inclusive ? RangeBound.Inclusive : RangeBound.Exclusive, default, RangeBound.Unbounded);
        return range.Take(limit).ToList();
    }

    public void Clear()
    {
        ic.ChargeWasm(costs.Remove);
        map.Clear();
    }
}
