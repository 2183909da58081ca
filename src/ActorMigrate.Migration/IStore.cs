using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// The storage trait of the guide's step 4: one ordered key-value store that a canister can swap for
/// another (heap for stable, or back) without its consumers noticing. Every operation is metered by
/// the execution the store was opened in.
/// </summary>
public interface IStore<K, V>
{
    /// <summary>Where the records live, as written in the schema label.</summary>
    SchemaLabel Schema { get; }

    long Count { get; }

    bool TryGet(K key, out V value);

    bool Contains(K key);

    /// <summary>Inserts or overwrites; true when the key is new.</summary>
    bool Insert(K key, V value);

    /// <summary>True when the key was there.</summary>
    bool Remove(K key);

    KeyValuePair<K, V>? First();

    KeyValuePair<K, V>? Last();

    /// <summary>Up to <paramref name="limit"/> records in key order, starting at <paramref name="from"/> (all when null), skipping <paramref name="from"/> itself unless <paramref name="inclusive"/>.</summary>
    IReadOnlyList<KeyValuePair<K, V>> Range(K? from, bool inclusive, int limit);

    /// <summary>Removes every record.</summary>
    void Clear();

    /// <summary>
    /// The <see cref="RecordDigest"/> hash of the record under <paramref name="key"/> as this store reads it
    /// back (a copy's check), or null when the key is absent: metered as a lookup plus the hashing. A store
    /// that holds encodings overrides it to hash them as stored, which charges the same without decoding
    /// the value and encoding it again.
    /// </summary>
    ulong? ReadBackHash(Ic0 ic, IStorable<K> keys, IStorable<V> values, K key) =>
        TryGet(key, out var value) ? RecordDigest.Of(ic, keys, values, key, value) : null;
}
