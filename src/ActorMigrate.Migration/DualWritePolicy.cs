namespace ActorMigrate.Migration;

/// <summary>
/// The NNS dapp's policy: the source store stays authoritative for every read until the switch; every
/// write goes to it, and also to the target when the key is already migrated (at or below the pointer),
/// so the target is complete and current when the pointer reaches the end — and an abort loses nothing.
/// Writes and the completion check are virtual so a variant (the fuzzer's mutants) changes only what it breaks.
/// </summary>
public class DualWritePolicy<K, V> : IRoutingPolicy<K, V>
{
    protected DualWritePolicy()
    {
    }

    public static DualWritePolicy<K, V> Instance { get; } = new();

    public RoutingPolicyKind Kind => RoutingPolicyKind.DualWrite;

    public bool TryGet(MigrationProxy<K, V> proxy, K key, out V value) => proxy.Source.TryGet(key, out value);

    public virtual bool Insert(MigrationProxy<K, V> proxy, K key, V value)
    {
        var added = proxy.InsertInto(proxy.Source, key, value, logical: true, target: false);
        if (proxy.IsMigrated(key))
        {
            proxy.InsertInto(proxy.Target, key, value, logical: false, target: true);
        }

        return added;
    }

    public virtual bool Remove(MigrationProxy<K, V> proxy, K key)
    {
        var removed = proxy.RemoveFrom(proxy.Source, key, logical: true, target: false);
        if (proxy.IsMigrated(key))
        {
            proxy.RemoveFrom(proxy.Target, key, logical: false, target: true);
        }

        return removed;
    }

    public long Count(MigrationProxy<K, V> proxy) => proxy.Source.Count;

    public KeyValuePair<K, V>? First(MigrationProxy<K, V> proxy) => proxy.Source.First();

    public KeyValuePair<K, V>? Last(MigrationProxy<K, V> proxy) => proxy.Source.Last();

    public IReadOnlyList<KeyValuePair<K, V>> Range(MigrationProxy<K, V> proxy, K? from, bool inclusive, int limit) =>
        proxy.Source.Range(from, inclusive, limit);

    public void Copy(MigrationProxy<K, V> proxy, K key, V value) => proxy.CopyInto(proxy.Target, key, value);

    public virtual string? CheckCompletion(MigrationProxy<K, V> proxy)
    {
        var source = proxy.Source;
        var target = proxy.Target;
        if (source.Count != target.Count)
        {
            return $"count: the source holds {source.Count} records, the target {target.Count}";
        }

        if (!proxy.SameRecord(source.First(), target.First()))
        {
            return "first: the source's first record differs from the target's";
        }

        if (!proxy.SameRecord(source.Last(), target.Last()))
        {
            return "last: the source's last record differs from the target's";
        }

        var state = proxy.State;
        return state.LogicalDigest == state.TargetDigest
            ? null
            : $"digest: the records written hash to {state.LogicalDigest:x16}, the target's read-back records to {state.TargetDigest:x16}";
    }
}
