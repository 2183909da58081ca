using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// What a heap changed since its last delta (<see cref="Heap.TakeDeltaImage"/>), for a durable host that
/// persists one per round instead of a whole <see cref="HeapImage"/>, and the byte-level merge of an image
/// and its deltas into the image of the heap after them (<see cref="Apply"/>) — without codecs, which the
/// durable side does not have: every element carries its length, and maps are sorted by key bytes.
/// </summary>
/// <remarks>
/// Layout (little-endian; leb = unsigned LEB128; element = leb length + bytes):
/// | offset | size | field                                              |
/// |--------|------|----------------------------------------------------|
/// | 0      | 4    | magic "AMHD"                                       |
/// | 4      | 1    | layout version (1)                                 |
/// | 5      | 8    | heap size in bytes: the high-water mark (i64)      |
/// | 13     | 8    | live bytes (i64)                                   |
/// | 21     | 4    | changed container count c (u32)                    |
/// | 25     | ..   | c × changed container, in creation order           |
///
/// Changed container:
/// | size    | field                                                       |
/// |---------|-------------------------------------------------------------|
/// | element | name (UTF-8)                                                |
/// | 1       | kind: 1 cell, 2 map, 3 ordered map, 4 vector                |
/// | 8       | live bytes of the container after the delta (i64)          |
/// | 1       | form: 0 whole (created since the last delta), 1 changes    |
/// | leb     | payload length p                                            |
/// | p       | whole: the payload of <see cref="HeapImage"/> for its kind; changes, by kind: |
/// |         |   cell: element (the value)                                 |
/// |         |   map, ordered map: leb u, u × (element key, element value) (upserts), then |
/// |         |     leb d, d × element key (deletes), each by ascending key bytes |
/// |         |   vector: leb length now, leb n, n × (leb index, element), ascending indices below the length |
/// A change rolled back in the execution that made it may still be listed: it then carries the value
/// as it stands, or deletes a key the image may not hold (applying tolerates both).
/// </remarks>
public static class HeapImageDelta
{
    private static ReadOnlySpan<byte> Magic => "AMHD"u8;
    private const byte Version = 1;
    private const byte Whole = 0;
    private const byte Changes = 1;

    /// <summary>Whether <paramref name="bytes"/> start like a heap delta (as opposed to a heap image).</summary>
    public static bool IsDelta(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[..4].SequenceEqual(Magic);

    internal static byte[] Write(long sizeBytes, long liveBytes, IReadOnlyList<IHeapContainer> changed, Func<IHeapContainer, bool> isNew)
    {
        var writer = new HeapImageWriter();
        writer.WriteHeapHeader(Magic, Version, sizeBytes, liveBytes, changed.Count);
        foreach (var container in changed)
        {
            writer.WriteContainerHead(container.Name, container.Kind, container.LiveBytes);
            var whole = isNew(container);
            writer.WriteByte(whole ? Whole : Changes);
            var payload = new HeapImageWriter();
            if (whole)
            {
                container.WriteImage(payload);
            }
            else
            {
                container.WriteChanges(payload);
            }

            writer.WriteElement(payload.Written);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// The heap image after <paramref name="deltas"/> (oldest first) applied to <paramref name="image"/>:
    /// byte for byte the <see cref="Heap.ToImage"/> of the heap that took them. Each container is
    /// rewritten once, however many deltas change it.
    /// </summary>
    /// <exception cref="CorruptMemoryException">The image or a delta is malformed, or a delta changes a
    /// container the image does not have (or has as another kind); the message names the delta and offset.</exception>
    public static byte[] Apply(ReadOnlyMemory<byte> image, IEnumerable<ReadOnlyMemory<byte>> deltas)
    {
        var (sizeBytes, liveBytes, restored) = HeapImage.Read(image);
        var order = new List<string>(restored.Count);
        var states = new Dictionary<string, HeapContainerChanges>(StringComparer.Ordinal);
        foreach (var container in restored)
        {
            if (!states.TryAdd(container.Name, new HeapContainerChanges(container.Kind, container.LiveBytes, container.Payload)))
            {
                throw new CorruptMemoryException($"heap image names container '{container.Name}' twice");
            }

            order.Add(container.Name);
        }

        var number = 0;
        foreach (var delta in deltas)
        {
            (sizeBytes, liveBytes) = Fold(delta, $"heap delta #{number++}", order, states);
        }

        if (sizeBytes < liveBytes)
        {
            throw new CorruptMemoryException($"heap deltas leave the heap size {sizeBytes} below its live bytes {liveBytes}");
        }

        var writer = new HeapImageWriter();
        var containers = order.Select(name => (name, states[name])).ToList();
        HeapImage.WriteHeader(writer, sizeBytes, liveBytes, containers.Count);
        foreach (var (name, state) in containers)
        {
            writer.WriteContainerHead(name, state.Kind, state.LiveBytes);
            var payload = new HeapImageWriter();
            state.WritePayload(payload, $"heap image of {state.Kind} '{name}'");
            writer.WriteElement(payload.Written);
        }

        return writer.ToArray();
    }

    /// <summary>Folds one delta's changes into <paramref name="states"/>; returns its heap size and live bytes.</summary>
    private static (long SizeBytes, long LiveBytes) Fold(ReadOnlyMemory<byte> delta, string what, List<string> order, Dictionary<string, HeapContainerChanges> states)
    {
        var reader = new HeapImageReader(delta.Span, what);
        var magic = reader.Take(5, "magic and version");
        if (!magic[..4].SequenceEqual(Magic) || magic[4] != Version)
        {
            throw new CorruptMemoryException($"{what} starts with {Convert.ToHexString(magic)}, not \"AMHD\" version {Version}");
        }

        var sizeBytes = reader.ReadI64("heap size");
        var liveBytes = reader.ReadI64("live bytes");
        var count = reader.ReadU32("container count");
        for (uint i = 0; i < count; i++)
        {
            var (name, kind, containerLive) = reader.ReadContainerHead(i);
            var form = reader.ReadByte($"form of container '{name}'");
            var formAt = reader.Position - 1;
            var payload = HeapMapPayload.Slice(delta, ref reader, $"payload of container '{name}'");
            var where = $"{what}, container '{name}' (payload at offset {reader.Position - payload.Length})";
            switch (form)
            {
                case Whole:
                    if (!states.ContainsKey(name))
                    {
                        order.Add(name);
                    }

                    states[name] = new HeapContainerChanges(kind, containerLive, payload);
                    break;
                case Changes:
                    if (!states.TryGetValue(name, out var state))
                    {
                        throw new CorruptMemoryException($"{where}: changes a container the image does not have");
                    }

                    if (state.Kind != kind)
                    {
                        throw new CorruptMemoryException($"{where}: changes a {kind}, but the image holds a {state.Kind}");
                    }

                    state.LiveBytes = containerLive;
                    state.AddChanges(payload, where);
                    break;
                default:
                    throw new CorruptMemoryException($"{what}: container '{name}' has unknown form {form} (offset {formAt})");
            }
        }

        reader.ExpectEnd();
        return (sizeBytes, liveBytes);
    }
}
