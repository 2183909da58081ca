namespace ActorMigrate.Migration;

/// <summary>Whole-store iteration in bounded batches (each batch is one metered range scan).</summary>
public static class StoreExtensions
{
    public static IEnumerable<KeyValuePair<K, V>> Entries<K, V>(this IStore<K, V> store, int batch = 256)
    {
        K? after = default;
        var started = false;
        while (true)
        {
            var page = store.Range(started ? after : default, inclusive: !started, batch);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < batch)
            {
                yield break;
            }

            after = page[^1].Key;
            started = true;
        }
    }
}
