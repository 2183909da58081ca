using ActorMigrate.Migration;

namespace ActorMigrate.Migration.Tests;

/// <summary>A real store behind a broken conversion: every value inserted under <c>key</c> is stored plus one (a bug in a migration's copy code).</summary>
public sealed class CorruptingStore(IStore<ulong, ulong> inner, ulong key) : IStore<ulong, ulong>
{
    public SchemaLabel Schema => inner.Schema;

    public long Count => inner.Count;

    public bool TryGet(ulong k, out ulong value) => inner.TryGet(k, out value);

    public bool Contains(ulong k) => inner.Contains(k);

    public bool Insert(ulong k, ulong value) => inner.Insert(k, k == key ? value + 1 : value);

    public bool Remove(ulong k) => inner.Remove(k);

    public KeyValuePair<ulong, ulong>? First() => inner.First();

    public KeyValuePair<ulong, ulong>? Last() => inner.Last();

    public IReadOnlyList<KeyValuePair<ulong, ulong>> Range(ulong from, bool inclusive, int limit) => inner.Range(from, inclusive, limit);

    public void Clear() => inner.Clear();
}
