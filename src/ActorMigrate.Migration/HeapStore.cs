using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>A store in an ordered heap map (what the NNS dapp's accounts lived in before the migration).</summary>
/// <remarks>Heap state is discarded on upgrade: whoever owns a heap store serializes it in pre_upgrade while it holds data that counts.</remarks>
public sealed class HeapStore<K, V>(HeapOrderedMap<K, V> map, IStorable<K> keys) : IStore<K, V>
{
    public static HeapStore<K, V> Open(Ic0 ic, string name, IStorable<K> keys, IStorable<V> values) =>
        new(ic.Heap.OrderedMap(name, keys, values), keys);

    public HeapOrderedMap<K, V> Map => map;

    public SchemaLabel Schema => SchemaLabel.Heap;

    public long Count => map.Count;

    public bool TryGet(K key, out V value) => map.TryGet(key, out value);

    public bool Contains(K key) => map.ContainsKey(key);

    public bool Insert(K key, V value) => map.Insert(key, value);

    public bool Remove(K key) => map.Remove(key);

    public KeyValuePair<K, V>? First() => map.First();

    public KeyValuePair<K, V>? Last() => map.Last();

    public IReadOnlyList<KeyValuePair<K, V>> Range(K? from, bool inclusive, int limit)
    {
        if (from is null || inclusive)
        {
            return map.Range(from, limit);
        }

        var page = map.Range(from, limit + 1);
        if (page.Count > 0 && keys.Compare(page[0].Key, from) == 0)
        {
            page.RemoveAt(0);
        }
        else if (page.Count > limit)
        {
            page.RemoveAt(page.Count - 1);
        }

        return page;
    }

    public void Clear()
    {
        while (map.Count > 0)
        {
            foreach (var entry in map.Range(default, 256))
            {
                map.Remove(entry.Key);
            }
        }
    }
}
