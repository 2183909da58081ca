using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// A store as the proxy hands it to its routing policy when routing counters are attached: it passes
/// every operation through unchanged (no metering of its own) and notes whether the operation the
/// proxy is serving read or changed it, so the proxy counts one read or write per store per operation.
/// </summary>
internal sealed class CountedStore<K, V>(IStore<K, V> inner) : IStore<K, V>
{
    public IStore<K, V> Inner => inner;

    public bool Read { get; set; }

    public bool Written { get; set; }

    public SchemaLabel Schema => inner.Schema;

    public long Count
    {
        get
        {
            Read = true;
            return inner.Count;
        }
    }

    public bool TryGet(K key, out V value)
    {
        Read = true;
        return inner.TryGet(key, out value);
    }

    public ulong? ReadBackHash(Ic0 ic, IStorable<K> keys, IStorable<V> values, K key)
    {
        Read = true;
        return inner.ReadBackHash(ic, keys, values, key);
    }

    public bool Contains(K key)
    {
        Read = true;
        return inner.Contains(key);
    }

    public bool Insert(K key, V value)
    {
        Written = true;
        return inner.Insert(key, value);
    }

    public bool Remove(K key)
    {
        Written = true;
        return inner.Remove(key);
    }

    public KeyValuePair<K, V>? First()
    {
        Read = true;
        return inner.First();
    }

    public KeyValuePair<K, V>? Last()
    {
        Read = true;
        return inner.Last();
    }

    public IReadOnlyList<KeyValuePair<K, V>> Range(K? from, bool inclusive, int limit)
    {
        Read = true;
        return inner.Range(from, inclusive, limit);
    }

    public void Clear()
    {
        Written = true;
        inner.Clear();
    }
}
