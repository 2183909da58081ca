namespace ActorMigrate.Migration;

/// <summary>
/// Keys at or below the pointer live only in the target store, keys above it only in the source: a step
/// moves records (insert into the target, remove from the source), nothing is held twice for long, and
/// each key has exactly one home. An abort cannot hand everything back to the source: the records stay
/// split, routed by the pointer (the reason is recorded all the same).
/// </summary>
public sealed class PointerRoutedPolicy<K, V> : IRoutingPolicy<K, V>
{
    public static PointerRoutedPolicy<K, V> Instance { get; } = new();

    public RoutingPolicyKind Kind => RoutingPolicyKind.PointerRouted;

    private static IStore<K, V> Home(MigrationProxy<K, V> proxy, K key) => proxy.IsMigrated(key) ? proxy.Target : proxy.Source;

    public bool TryGet(MigrationProxy<K, V> proxy, K key, out V value) => Home(proxy, key).TryGet(key, out value);

    public bool Insert(MigrationProxy<K, V> proxy, K key, V value)
    {
        var home = Home(proxy, key);
        return proxy.InsertInto(home, key, value, logical: true, target: ReferenceEquals(home, proxy.Target));
    }

    public bool Remove(MigrationProxy<K, V> proxy, K key)
    {
        var home = Home(proxy, key);
        return proxy.RemoveFrom(home, key, logical: true, target: ReferenceEquals(home, proxy.Target));
    }

    public long Count(MigrationProxy<K, V> proxy) => proxy.Source.Count + proxy.Target.Count;

    public KeyValuePair<K, V>? First(MigrationProxy<K, V> proxy) => proxy.Target.First() ?? proxy.Source.First();

    public KeyValuePair<K, V>? Last(MigrationProxy<K, V> proxy) => proxy.Source.Last() ?? proxy.Target.Last();

    public IReadOnlyList<KeyValuePair<K, V>> Range(MigrationProxy<K, V> proxy, K? from, bool inclusive, int limit)
    {
        var low = proxy.Target.Range(from, inclusive, limit);
        if (low.Count >= limit)
        {
            return low;
        }

        var merged = low.ToList();
        merged.AddRange(proxy.Source.Range(from, inclusive, limit - low.Count));
        return merged;
    }

    public void Copy(MigrationProxy<K, V> proxy, K key, V value)
    {
        proxy.CopyInto(proxy.Target, key, value);
        proxy.Source.Remove(key);
    }

    public string? CheckCompletion(MigrationProxy<K, V> proxy)
    {
        if (proxy.Source.Count != 0)
        {
            return $"count: {proxy.Source.Count} records are still in the source store after the last key";
        }

        var state = proxy.State;
        return state.LogicalDigest == state.TargetDigest
            ? null
            : $"digest: the records written hash to {state.LogicalDigest:x16}, the target's read-back records to {state.TargetDigest:x16}";
    }
}
