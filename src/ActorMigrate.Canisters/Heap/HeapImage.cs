using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// A canister's Wasm heap as bytes, for a host that keeps it durable (the actor layer's checkpoints):
/// every container, in creation order, with the bytes its own codecs give, and the heap's size
/// accounting, so that a restored canister's heap size (high-water mark), live bytes and digest equal
/// the original's. Every element carries its length, so the image can be copied and digested without
/// the codecs; a restored container is decoded only when module code opens it (<see cref="PendingContainer"/>).
/// </summary>
/// <remarks>
/// Layout (little-endian; leb = unsigned LEB128; element = leb length + bytes):
/// | offset | size | field                                              |
/// |--------|------|----------------------------------------------------|
/// | 0      | 4    | magic "AMHI"                                       |
/// | 4      | 1    | layout version (2; version 1 is still read)        |
/// | 5      | 8    | heap size in bytes: the high-water mark (i64)      |
/// | 13     | 8    | live bytes (i64)                                   |
/// | 21     | 4    | container count c (u32)                            |
/// | 25     | ..   | c × container, in creation order                   |
///
/// Container:
/// | size    | field                                                       |
/// |---------|-------------------------------------------------------------|
/// | element | name (UTF-8)                                                |
/// | 1       | kind: 1 cell, 2 map, 3 ordered map, 4 vector                |
/// | 8       | live bytes of the container (i64)                           |
/// | leb     | payload length p                                            |
/// | p       | payload, by kind:                                           |
/// |         |   cell: element (value)                                     |
/// |         |   map: leb n, n × (element key, element value), by key bytes |
/// |         |   ordered map: the same as a map, by key bytes (not the codec's order) |
/// |         |   vector: leb n, n × element                                |
/// Each element's bytes are its codec's encoding (<c>IStorable.Write</c>).
/// Both map kinds are sorted by key bytes so that an image is canonical (equal heaps, equal bytes) and a
/// <see cref="HeapImageDelta"/> can be merged into it without the codecs. Version 1 wrote an ordered map
/// in its codec's key order; reading a version-1 image sorts those payloads by key bytes.
/// </remarks>
public static class HeapImage
{
    private static ReadOnlySpan<byte> Magic => "AMHI"u8;
    private const byte Version = 2;
    private const byte FirstVersionWithOrderedMapsByKeyBytes = 2;

    internal static byte[] Write(long sizeBytes, long liveBytes, IEnumerable<IHeapContainer> containers)
    {
        var list = containers.ToList();
        var writer = new HeapImageWriter();
        WriteHeader(writer, sizeBytes, liveBytes, list.Count);
        foreach (var container in list)
        {
            writer.WriteContainerHead(container.Name, container.Kind, container.LiveBytes);
            if (container is PendingContainer pending)
            {
                writer.WriteElement(pending.Payload.Span);
            }
            else
            {
                var payload = new HeapImageWriter();
                container.WriteImage(payload);
                writer.WriteElement(payload.Written);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Magic, version, heap size, live bytes and container count: everything before the containers.</summary>
    internal static void WriteHeader(HeapImageWriter writer, long sizeBytes, long liveBytes, int containerCount) =>
        writer.WriteHeapHeader(Magic, Version, sizeBytes, liveBytes, containerCount);

    internal static (long SizeBytes, long LiveBytes, List<PendingContainer> Containers) Read(ReadOnlyMemory<byte> image)
    {
        var reader = new HeapImageReader(image.Span, "heap image");
        var magic = reader.Take(5, "magic and version");
        var version = magic[4];
        if (!magic[..4].SequenceEqual(Magic) || version is 0 or > Version)
        {
            throw new CorruptMemoryException($"heap image starts with {Convert.ToHexString(magic)}, not \"AMHI\" version 1..{Version}");
        }

        var sizeBytes = reader.ReadI64("heap size");
        var liveBytes = reader.ReadI64("live bytes");
        var count = reader.ReadU32("container count");
        var containers = new List<PendingContainer>((int)Math.Min(count, 1024));
        for (uint i = 0; i < count; i++)
        {
            var (name, kind, containerLive) = reader.ReadContainerHead(i);
            var payload = reader.ReadElement($"payload of container '{name}'");
            var start = reader.Position - payload.Length;
            var bytes = image.Slice(start, payload.Length);
            if (kind == HeapContainerKind.OrderedMap && version < FirstVersionWithOrderedMapsByKeyBytes)
            {
                bytes = HeapMapPayload.SortedByKeyBytes(bytes, $"heap image of ordered map '{name}'");
            }

            containers.Add(new PendingContainer(name, kind, containerLive, bytes));
        }

        reader.ExpectEnd();
        if (sizeBytes < liveBytes)
        {
            throw new CorruptMemoryException($"heap image: heap size {sizeBytes} is below its live bytes {liveBytes}");
        }

        return (sizeBytes, liveBytes, containers);
    }
}
