using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// How both map kinds write their image payload and their delta payload (layouts in <see cref="HeapImage"/>
/// and <see cref="HeapImageDelta"/>): always sorted by key BYTES, whatever order the map keeps, so that
/// images are canonical and a delta can be merged into an image without the codecs.
/// </summary>
internal static class HeapMapImage
{
    /// <summary>leb n, then n × (key element, value element) by ascending key bytes.</summary>
    public static void WriteEntries<TKey, TValue>(HeapImageWriter writer, IReadOnlyCollection<KeyValuePair<TKey, TValue>> entries,
        IStorable<TKey> keys, IStorable<TValue> values)
    {
        var encoded = new (byte[] Key, TValue Value)[entries.Count];
        var i = 0;
        foreach (var (key, value) in entries)
        {
            encoded[i++] = (keys.ToBytes(key), value);
        }

        Array.Sort(encoded, (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        writer.WriteLeb128((ulong)encoded.Length);
        foreach (var (key, value) in encoded)
        {
            writer.WriteElement(key);
            writer.WriteElement(values, value);
        }
    }

    /// <summary>
    /// leb u, u × (key element, value element) for the changed keys the map holds now (upserts), then
    /// leb d, d × key element for those it does not (deletes), each by ascending key bytes. A key changed
    /// and changed back (or rolled back) is written as it stands: an upsert of the same value, or a
    /// delete of a key the image may not have.
    /// </summary>
    public static void WriteChanges<TKey, TValue>(HeapImageWriter writer, IReadOnlyCollection<TKey> changed,
        Func<TKey, (bool Found, TValue Value)> lookup, IStorable<TKey> keys, IStorable<TValue> values)
    {
        var upserts = new List<(byte[] Key, TValue Value)>(changed.Count);
        var deletes = new List<byte[]>();
        foreach (var key in changed)
        {
            var (found, value) = lookup(key);
            if (found)
            {
                upserts.Add((keys.ToBytes(key), value));
            }
            else
            {
                deletes.Add(keys.ToBytes(key));
            }
        }

        upserts.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        deletes.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        writer.WriteLeb128((ulong)upserts.Count);
        foreach (var (key, value) in upserts)
        {
            writer.WriteElement(key);
            writer.WriteElement(values, value);
        }

        writer.WriteLeb128((ulong)deletes.Count);
        foreach (var key in deletes)
        {
            writer.WriteElement(key);
        }
    }
}
