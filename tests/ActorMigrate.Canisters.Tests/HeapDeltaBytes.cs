using ActorMigrate.Canisters;

namespace ActorMigrate.Canisters.Tests;

/// <summary>Rewrites heap deltas (layout in <see cref="HeapImageDelta"/>) to build broken merges and corrupt input.</summary>
internal static class HeapDeltaBytes
{
    /// <summary>The delta with every map's deletes dropped: applying it is a merge that ignores deletes.</summary>
    public static byte[] WithoutDeletes(byte[] delta)
    {
        var reader = new HeapImageReader(delta, "delta");
        var writer = new HeapImageWriter();
        writer.WriteRaw(reader.Take(21, "header"));
        var count = reader.ReadU32("count");
        writer.WriteU32(count);
        for (var i = 0u; i < count; i++)
        {
            var (name, kind, live) = reader.ReadContainerHead(i);
            writer.WriteContainerHead(name, kind, live);
            var form = reader.ReadByte("form");
            writer.WriteByte(form);
            var payload = reader.ReadElement("payload");
            if (form == 1 && kind is HeapContainerKind.Map or HeapContainerKind.OrderedMap)
            {
                var changes = new HeapImageReader(payload, "changes");
                var kept = new HeapImageWriter();
                var upserts = changes.ReadLeb128("upserts");
                kept.WriteLeb128(upserts);
                for (var u = 0UL; u < upserts; u++)
                {
                    kept.WriteElement(changes.ReadElement("key"));
                    kept.WriteElement(changes.ReadElement("value"));
                }

                kept.WriteLeb128(0);
                writer.WriteElement(kept.Written);
            }
            else
            {
                writer.WriteElement(payload);
            }
        }

        return writer.ToArray();
    }

    /// <summary>
    /// A version-2 heap image rewritten as version 1 wrote it when every ordered map's codec order is the
    /// reverse of its key-byte order: version byte 1, ordered-map entries reversed.
    /// </summary>
    public static byte[] AsVersion1WithReversedOrderedMaps(byte[] image)
    {
        var reader = new HeapImageReader(image, "image");
        var writer = new HeapImageWriter();
        writer.WriteRaw(reader.Take(4, "magic"));
        reader.ReadByte("version");
        writer.WriteByte(1);
        writer.WriteRaw(reader.Take(16, "sizes"));
        var count = reader.ReadU32("count");
        writer.WriteU32(count);
        for (var i = 0u; i < count; i++)
        {
            var (name, kind, live) = reader.ReadContainerHead(i);
            writer.WriteContainerHead(name, kind, live);
            var payload = reader.ReadElement("payload").ToArray();
            if (kind == HeapContainerKind.OrderedMap)
            {
                var entries = HeapMapPayload.Entries(payload, "ordered map");
                entries.Reverse();
                var reversed = new HeapImageWriter();
                reversed.WriteLeb128((ulong)entries.Count);
                foreach (var (key, value) in entries)
                {
                    reversed.WriteElement(key.Span);
                    reversed.WriteElement(value.Span);
                }

                writer.WriteElement(reversed.Written);
            }
            else
            {
                writer.WriteElement(payload);
            }
        }

        return writer.ToArray();
    }

    /// <summary>The offset of the first container's form byte.</summary>
    public static int FirstFormOffset(byte[] delta)
    {
        var reader = new HeapImageReader(delta, "delta");
        reader.Take(25, "header and count");
        reader.ReadElement("name");
        reader.Take(1 + 8, "kind and live bytes");
        return reader.Position;
    }
}
