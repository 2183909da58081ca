using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// One container while <see cref="HeapImageDelta.Apply"/> folds deltas into an image: its payload in the
/// image (or in the delta that wrote it whole) plus the changes of the later deltas, collapsed so that
/// the newest change of a key or index wins and the payload is rewritten once at the end.
/// </summary>
internal sealed class HeapContainerChanges(HeapContainerKind kind, long liveBytes, ReadOnlyMemory<byte> payload)
{
    private ReadOnlyMemory<byte> payload = payload;
    private readonly Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?> keys = new(KeyBytesEquality.Instance);
    private readonly Dictionary<ulong, ReadOnlyMemory<byte>> items = [];
    private ulong? vectorLength;
    private ulong shortestVectorLength = ulong.MaxValue; // items of the payload at or beyond it were popped

    public HeapContainerKind Kind { get; } = kind;

    public long LiveBytes { get; set; } = liveBytes;

    /// <summary>Adds one delta's change payload (layout in <see cref="HeapImageDelta"/>); <paramref name="where"/> names it in errors.</summary>
    public void AddChanges(ReadOnlyMemory<byte> changes, string where)
    {
        var reader = new HeapImageReader(changes.Span, where);
        switch (Kind)
        {
            case HeapContainerKind.Cell:
                reader.ReadElement("value");
                payload = changes; // a cell's change is its whole payload
                break;
            case HeapContainerKind.Map:
            case HeapContainerKind.OrderedMap:
                for (var upserts = reader.ReadLeb128("upsert count"); upserts > 0; upserts--)
                {
                    var key = HeapMapPayload.Slice(changes, ref reader, "upserted key");
                    keys[key] = HeapMapPayload.Slice(changes, ref reader, "upserted value");
                }

                for (var deletes = reader.ReadLeb128("delete count"); deletes > 0; deletes--)
                {
                    keys[HeapMapPayload.Slice(changes, ref reader, "deleted key")] = null;
                }

                break;
            case HeapContainerKind.Vector:
                var length = reader.ReadLeb128("vector length");
                foreach (var index in items.Keys.Where(i => i >= length).ToList())
                {
                    items.Remove(index);
                }

                vectorLength = length;
                shortestVectorLength = Math.Min(shortestVectorLength, length);
                for (var count = reader.ReadLeb128("changed item count"); count > 0; count--)
                {
                    var index = reader.ReadLeb128("item index");
                    if (index >= length)
                    {
                        throw new CorruptMemoryException($"{where}: item index {index} is not below the vector's length {length} (offset {reader.Position})");
                    }

                    items[index] = HeapMapPayload.Slice(changes, ref reader, $"item {index}");
                }

                break;
        }

        reader.ExpectEnd();
    }

    /// <summary>Writes the payload with every change applied.</summary>
    public void WritePayload(HeapImageWriter writer, string what)
    {
        switch (Kind)
        {
            case HeapContainerKind.Map or HeapContainerKind.OrderedMap when keys.Count > 0:
                var changes = keys.ToList();
                changes.Sort((a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span));
                HeapMapPayload.Merge(writer, payload, changes, what);
                break;
            case HeapContainerKind.Vector when vectorLength is { } length:
                var stored = VectorItems(what);
                writer.WriteLeb128(length);
                for (ulong i = 0; i < length; i++)
                {
                    if (items.TryGetValue(i, out var item))
                    {
                        writer.WriteElement(item.Span);
                    }
                    else if (i < shortestVectorLength && i < (ulong)stored.Count)
                    {
                        writer.WriteElement(stored[(int)i].Span);
                    }
                    else
                    {
                        throw new CorruptMemoryException($"{what}: item {i} is neither in the image nor in a delta (length {length})");
                    }
                }

                break;
            default:
                writer.WriteRaw(payload.Span);
                break;
        }
    }

    private List<ReadOnlyMemory<byte>> VectorItems(string what)
    {
        var reader = new HeapImageReader(payload.Span, what);
        var count = reader.ReadLeb128("item count");
        var stored = new List<ReadOnlyMemory<byte>>((int)Math.Min(count, (ulong)payload.Length));
        for (ulong i = 0; i < count; i++)
        {
            stored.Add(HeapMapPayload.Slice(payload, ref reader, $"item {i}"));
        }

        reader.ExpectEnd();
        return stored;
    }

    /// <summary>Keys compare by their bytes.</summary>
    private sealed class KeyBytesEquality : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly KeyBytesEquality Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj.Span);
            return hash.ToHashCode();
        }
    }
}
