using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// A map's image payload (leb n, n × (key element, value element), by ascending key bytes; see
/// <see cref="HeapImage"/>) handled as bytes, without the codecs: read, sorted, and merged with changes.
/// </summary>
internal static class HeapMapPayload
{
    /// <summary>The entries as slices of <paramref name="payload"/>, in their stored order.</summary>
    public static List<(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)> Entries(ReadOnlyMemory<byte> payload, string what)
    {
        var reader = new HeapImageReader(payload.Span, what);
        var count = reader.ReadLeb128("entry count");
        var entries = new List<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>((int)Math.Min(count, (ulong)payload.Length));
        for (ulong i = 0; i < count; i++)
        {
            var key = Slice(payload, ref reader, $"key #{i}");
            entries.Add((key, Slice(payload, ref reader, $"value #{i}")));
        }

        reader.ExpectEnd();
        return entries;
    }

    /// <summary>The next element of <paramref name="reader"/> as a slice of <paramref name="bytes"/> (no copy).</summary>
    public static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> bytes, ref HeapImageReader reader, string field)
    {
        var length = reader.ReadElement(field).Length;
        return bytes.Slice(reader.Position - length, length);
    }

    /// <summary>A version-1 ordered map's payload (codec order) re-sorted by key bytes.</summary>
    public static ReadOnlyMemory<byte> SortedByKeyBytes(ReadOnlyMemory<byte> payload, string what)
    {
        var entries = Entries(payload, what);
        entries.Sort((a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span));
        var writer = new HeapImageWriter();
        writer.WriteLeb128((ulong)entries.Count);
        foreach (var (key, value) in entries)
        {
            writer.WriteElement(key.Span);
            writer.WriteElement(value.Span);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="payload"/> with <paramref name="changes"/> applied (a value upserts, null
    /// deletes; deleting a missing key is allowed: a rolled-back change may leave one) into <paramref name="writer"/>,
    /// by one merge of two sorted streams. The payload's keys must ascend strictly by bytes.
    /// </summary>
    public static void Merge(HeapImageWriter writer, ReadOnlyMemory<byte> payload, IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>> changes, string what)
    {
        var entries = Entries(payload, what);
        var merged = new HeapImageWriter();
        var count = 0UL;
        var e = 0;
        var c = 0;
        ReadOnlySpan<byte> previous = default;
        while (e < entries.Count || c < changes.Count)
        {
            if (e < entries.Count && e > 0 && previous.SequenceCompareTo(entries[e].Key.Span) >= 0)
            {
                throw new CorruptMemoryException($"{what}: key #{e} ({Convert.ToHexString(entries[e].Key.Span)}) does not follow key #{e - 1} by key bytes");
            }

            var order = e == entries.Count ? 1 : c == changes.Count ? -1 : entries[e].Key.Span.SequenceCompareTo(changes[c].Key.Span);
            if (order < 0)
            {
                merged.WriteElement(entries[e].Key.Span);
                merged.WriteElement(entries[e].Value.Span);
                previous = entries[e].Key.Span;
                e++;
                count++;
                continue;
            }

            if (order == 0)
            {
                previous = entries[e].Key.Span;
                e++; // replaced or deleted by the change
            }

            if (changes[c].Value is { } value)
            {
                merged.WriteElement(changes[c].Key.Span);
                merged.WriteElement(value.Span);
                count++;
            }

            c++;
        }

        writer.WriteLeb128(count);
        writer.WriteRaw(merged.Written);
    }
}
