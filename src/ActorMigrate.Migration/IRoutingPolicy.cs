namespace ActorMigrate.Migration;

/// <summary>
/// How a migrating store routes reads and writes while a migration is in progress, how a step moves
/// one record, and what must hold before the switch. Write one to try another strategy; the proxy
/// keeps the pointer, the digests and the state.
/// </summary>
public interface IRoutingPolicy<K, V>
{
    RoutingPolicyKind Kind { get; }

    bool TryGet(MigrationProxy<K, V> proxy, K key, out V value);

    bool Insert(MigrationProxy<K, V> proxy, K key, V value);

    bool Remove(MigrationProxy<K, V> proxy, K key);

    long Count(MigrationProxy<K, V> proxy);

    KeyValuePair<K, V>? First(MigrationProxy<K, V> proxy);

    KeyValuePair<K, V>? Last(MigrationProxy<K, V> proxy);

    IReadOnlyList<KeyValuePair<K, V>> Range(MigrationProxy<K, V> proxy, K? from, bool inclusive, int limit);

    /// <summary>Moves one source record (just read by the step) into the target store.</summary>
    void Copy(MigrationProxy<K, V> proxy, K key, V value);

    /// <summary>Null when the target may become authoritative; otherwise why not.</summary>
    string? CheckCompletion(MigrationProxy<K, V> proxy);
}
