using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The binary format of everything a <see cref="StableMemoryActor"/> writes to the journal and the
/// snapshot store. The manifest names the type; the first payload byte is the type's layout version.
/// </summary>
/// <remarks>
/// All integers little-endian. Manifest "R" — <see cref="RoundPersisted"/> (one journal event per round):
/// | offset   | size           | field                                                      |
/// |----------|----------------|------------------------------------------------------------|
/// | 0        | 1              | layout version (3; versions 1 and 2 are still read)        |
/// | 1        | 8              | round (i64)                                                |
/// | 9        | 8              | stable memory size in 64 KiB Wasm pages (u64)              |
/// | 17       | 1              | flags: bit 0 = stable memory reset, bit 1 = heap image,    |
/// |          |                | bit 2 = heap delta (bits 1 and 2 never both; v1: no bit 2),|
/// |          |                | bit 3 = written between rounds, after the round (v3 only)  |
/// | 18       | 4              | metadata length m (i32)                                    |
/// | 22       | m              | metadata                                                   |
/// | 22+m     | 4              | heap image or delta length h (i32), when bit 1 or 2 is set |
/// | ..       | h              | heap image ("AMHI") or heap delta ("AMHD"), likewise       |
/// | ..       | 4              | changed run count n (i32)                                  |
/// | ..       | n × (12 + b)   | runs: 4 KiB page index (u64), offset in the page (u16),    |
/// |          |                | length b (u16; offset + b ≤ 4096, b ≥ 1), then its b bytes |
/// Versions 1 and 2 hold whole pages instead of runs: a dirty page count n (i32), then n × (4 KiB page
/// index (u64) + its 4096 bytes); each reads as one run of the whole page.
///
/// Manifest "C" — <see cref="CheckpointChunk"/> (journal event; a slice of a <see cref="CheckpointImage"/>):
/// | offset | size | field                       |
/// |--------|------|-----------------------------|
/// | 0      | 1    | layout version (1)          |
/// | 1      | 8    | round of the image (i64)    |
/// | 9      | 4    | chunk index (i32)           |
/// | 13     | 4    | chunk count (i32)           |
/// | 17     | 4    | slice length b (i32)        |
/// | 21     | b    | slice bytes                 |
///
/// Manifest "M" — <see cref="CheckpointManifest"/> (the snapshot; always 69 bytes, 61 in layout 1):
/// | offset | size | field                                   |
/// |--------|------|-----------------------------------------|
/// | 0      | 1    | layout version (2; version 1, without the last field, is still read) |
/// | 1      | 8    | round of the image (i64)                |
/// | 9      | 8    | sequence number of chunk 0 (i64)        |
/// | 17     | 4    | chunk count (i32)                       |
/// | 21     | 8    | image length in bytes (i64)             |
/// | 29     | 32   | SHA-256 of the image                    |
/// | 61     | 8    | sequence number of the imaged round's event (i64; layout 1: chunk 0's - 1) |
///
/// Manifest "D" — <see cref="Subnet.CanisterRegistered"/> (the canister directory's journal event):
/// | offset | size | field                                              |
/// |--------|------|----------------------------------------------------|
/// | 0      | 1    | layout version (1)                                 |
/// | 1      | 4    | canister id length i (i32)                         |
/// | 5      | i    | canister id (UTF-8)                                |
/// | 5+i    | 4    | controller count c (i32)                           |
/// | ..     | ..   | c × (length (i32) + UTF-8)                         |
/// Directories journaled before this manifest existed hold JSON events, which Akka still reads with
/// the serializer id stored in each row.
///
/// Anything else — an unknown manifest, another version, a length running past the end, bytes left
/// over — throws a <see cref="SerializationException"/> that names the type, the field and the offset.
/// </remarks>
public sealed class StableMemorySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>This serializer's id in the journal's serializer column. Never change it.</summary>
    public const int Id = 1_130_601;

    private const byte Version = 1;
    private const byte RoundVersion = 3;
    private const byte ManifestVersion = 2;
    private const string RoundManifest = "R";
    private const string ChunkManifest = "C";
    private const string CheckpointManifestName = "M";
    private const string DirectoryManifest = "D";

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        RoundPersisted => RoundManifest,
        CheckpointChunk => ChunkManifest,
        CheckpointManifest => CheckpointManifestName,
        Subnet.CanisterRegistered => DirectoryManifest,
        _ => throw Unknown(o),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        RoundPersisted round => WriteRound(round),
        CheckpointChunk chunk => WriteChunk(chunk),
        CheckpointManifest manifest => WriteManifest(manifest),
        Subnet.CanisterRegistered registered => WriteRegistered(registered),
        _ => throw Unknown(obj),
    };

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        RoundManifest => ReadRound(new Reader(bytes, nameof(RoundPersisted))),
        ChunkManifest => ReadChunk(new Reader(bytes, nameof(CheckpointChunk))),
        CheckpointManifestName => ReadManifest(new Reader(bytes, nameof(CheckpointManifest))),
        DirectoryManifest => ReadRegistered(new Reader(bytes, nameof(Subnet.CanisterRegistered))),
        _ => throw new SerializationException(
            $"{nameof(StableMemorySerializer)} (id {Id}) does not know manifest '{manifest}' ({bytes.Length} bytes); " +
            $"it reads '{RoundManifest}', '{ChunkManifest}', '{CheckpointManifestName}' and '{DirectoryManifest}'"),
    };

    private static SerializationException Unknown(object o) =>
        new($"{nameof(StableMemorySerializer)} cannot serialize {o.GetType().FullName}");

    private static byte[] WriteRound(RoundPersisted round)
    {
        if (round.HeapImage is not null && round.HeapDelta is not null)
        {
            throw new SerializationException($"round {round.Round} carries both a heap image and a heap delta");
        }

        var heap = round.HeapImage ?? round.HeapDelta;
        var heapLength = heap is { } h ? 4 + h.Length : 0;
        var size = 22 + round.Metadata.Length + heapLength + 4 + round.ChangedRuns.Sum(r => PageRun.HeaderBytes + r.Bytes.Length);
        var writer = new Writer(new byte[size]);
        writer.Byte(RoundVersion);
        writer.I64(round.Round);
        writer.I64((long)round.StableMemorySizeInPages);
        writer.Byte((byte)((round.StableMemoryReset ? 1 : 0) | (round.HeapImage is null ? 0 : 2) | (round.HeapDelta is null ? 0 : 4) |
            (round.BetweenRounds ? 8 : 0)));
        writer.Blob(round.Metadata.Span);
        if (heap is { } bytes)
        {
            writer.Blob(bytes.Span);
        }

        writer.I32(round.ChangedRuns.Count);
        foreach (var run in round.ChangedRuns)
        {
            if (run.Bytes.Length == 0 || run.Offset < 0 || run.Offset + run.Bytes.Length > PageDelta.PageSize)
            {
                throw new SerializationException(
                    $"round {round.Round}: the run of page {run.PageIndex} at offset {run.Offset} with {run.Bytes.Length} bytes is not within a {PageDelta.PageSize}-byte page");
            }

            writer.I64((long)run.PageIndex);
            writer.U16((ushort)run.Offset);
            writer.U16((ushort)run.Bytes.Length);
            writer.Raw(run.Bytes.Span);
        }

        return writer.Done();
    }

    private static RoundPersisted ReadRound(Reader reader)
    {
        var version = reader.ExpectVersion(1, RoundVersion);
        var round = reader.I64("round");
        var size = (ulong)reader.I64("stable memory size");
        var flags = reader.Byte("flags");
        if ((flags & ~(version switch { 1 => 3, 2 => 7, _ => 15 })) != 0 || (flags & 6) == 6)
        {
            throw reader.Error($"unknown flags 0x{flags:X2}");
        }

        var metadata = reader.Blob("metadata");
        ReadOnlyMemory<byte>? heap = (flags & 2) != 0 ? reader.Blob("heap image") : (ReadOnlyMemory<byte>?)null;
        ReadOnlyMemory<byte>? heapDelta = (flags & 4) != 0 ? reader.Blob("heap delta") : (ReadOnlyMemory<byte>?)null;
        var runs = version < 3 ? ReadWholePages(reader) : ReadRuns(reader);
        reader.ExpectEnd();
        return new RoundPersisted(round, size, (flags & 1) != 0, runs, metadata, heap, heapDelta, BetweenRounds: (flags & 8) != 0);
    }

    private static PageRun[] ReadRuns(Reader reader)
    {
        var count = reader.I32("changed run count");
        if (count < 0 || (long)count * (PageRun.HeaderBytes + 1) > reader.Remaining)
        {
            throw reader.Error($"changed run count {count} does not fit the {reader.Remaining} bytes left");
        }

        var runs = new PageRun[count];
        for (var i = 0; i < count; i++)
        {
            var index = (ulong)reader.I64($"page index of run #{i}");
            var offset = reader.U16($"offset of run #{i}");
            var length = reader.U16($"length of run #{i}");
            if (length == 0 || offset + length > PageDelta.PageSize)
            {
                throw reader.Error($"run #{i} of page {index} at offset {offset} with {length} bytes is not within a {PageDelta.PageSize}-byte page");
            }

            runs[i] = new PageRun(index, offset, reader.Raw(length, $"run #{i} of page {index}"));
        }

        return runs;
    }

    /// <summary>Layout versions 1 and 2: every dirty page whole.</summary>
    private static PageRun[] ReadWholePages(Reader reader)
    {
        var count = reader.I32("dirty page count");
        if (count < 0 || (long)count * (8 + PageDelta.PageSize) > reader.Remaining)
        {
            throw reader.Error($"dirty page count {count} does not fit the {reader.Remaining} bytes left");
        }

        var pages = new PageRun[count];
        for (var i = 0; i < count; i++)
        {
            var index = (ulong)reader.I64($"index of page #{i}");
            pages[i] = new PageRun(index, 0, reader.Raw(PageDelta.PageSize, $"page {index}"));
        }

        return pages;
    }

    private static byte[] WriteChunk(CheckpointChunk chunk)
    {
        var writer = new Writer(new byte[21 + chunk.Bytes.Length]);
        writer.Byte(Version);
        writer.I64(chunk.Round);
        writer.I32(chunk.Index);
        writer.I32(chunk.Count);
        writer.Blob(chunk.Bytes.Span);
        return writer.Done();
    }

    private static CheckpointChunk ReadChunk(Reader reader)
    {
        reader.ExpectVersion(Version);
        var chunk = new CheckpointChunk(reader.I64("round"), reader.I32("chunk index"), reader.I32("chunk count"), reader.Blob("slice"));
        reader.ExpectEnd();
        return chunk;
    }

    private static byte[] WriteManifest(CheckpointManifest manifest)
    {
        if (manifest.ImageSha256.Length != 32)
        {
            throw new SerializationException($"checkpoint manifest of round {manifest.Round} has a {manifest.ImageSha256.Length}-byte digest, not 32");
        }

        var writer = new Writer(new byte[69]);
        writer.Byte(ManifestVersion);
        writer.I64(manifest.Round);
        writer.I64(manifest.FirstChunkSequenceNr);
        writer.I32(manifest.ChunkCount);
        writer.I64(manifest.ImageLength);
        writer.Raw(manifest.ImageSha256.Span);
        writer.I64(manifest.ImagedRoundSequenceNr);
        return writer.Done();
    }

    private static CheckpointManifest ReadManifest(Reader reader)
    {
        var version = reader.ExpectVersion(1, ManifestVersion);
        var manifest = new CheckpointManifest(
            reader.I64("round"), reader.I64("first chunk sequence number"), reader.I32("chunk count"),
            reader.I64("image length"), reader.Raw(32, "image SHA-256"));
        if (version >= 2)
        {
            manifest = manifest with { RoundSequenceNr = reader.I64("imaged round's sequence number") };
        }

        reader.ExpectEnd();
        return manifest;
    }

    private static byte[] WriteRegistered(Subnet.CanisterRegistered registered)
    {
        var id = System.Text.Encoding.UTF8.GetBytes(registered.CanisterId);
        var controllers = registered.Controllers.Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        var writer = new Writer(new byte[1 + 4 + id.Length + 4 + controllers.Sum(c => 4 + c.Length)]);
        writer.Byte(Version);
        writer.Blob(id);
        writer.I32(controllers.Count);
        foreach (var controller in controllers)
        {
            writer.Blob(controller);
        }

        return writer.Done();
    }

    private static Subnet.CanisterRegistered ReadRegistered(Reader reader)
    {
        reader.ExpectVersion(Version);
        var id = System.Text.Encoding.UTF8.GetString(reader.Blob("canister id"));
        var count = reader.I32("controller count");
        if (count < 0 || count * 4L > reader.Remaining)
        {
            throw reader.Error($"controller count {count} does not fit the {reader.Remaining} bytes left");
        }

        var controllers = new string[count];
        for (var i = 0; i < count; i++)
        {
            controllers[i] = System.Text.Encoding.UTF8.GetString(reader.Blob($"controller #{i}"));
        }

        reader.ExpectEnd();
        return new Subnet.CanisterRegistered(id, controllers);
    }

    private sealed class Writer(byte[] buffer)
    {
        private int position;

        public void Byte(byte value) => buffer[position++] = value;

        public void I32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(position), value);
            position += 4;
        }

        public void I64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(position), value);
            position += 8;
        }

        public void U16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(position), value);
            position += 2;
        }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.AsSpan(position));
            position += bytes.Length;
        }

        public void Blob(ReadOnlySpan<byte> bytes)
        {
            I32(bytes.Length);
            Raw(bytes);
        }

        public byte[] Done() => position == buffer.Length
            ? buffer
            : throw new InvalidOperationException($"wrote {position} of {buffer.Length} bytes");
    }

    private sealed class Reader(byte[] bytes, string type)
    {
        private int position;

        public int Remaining => bytes.Length - position;

        public SerializationException Error(string what) =>
            new($"corrupt {type} ({bytes.Length} bytes): {what} at offset {position}");

        /// <summary>Reads the layout version; fails unless it lies in <paramref name="oldest"/>..<paramref name="newest"/>.</summary>
        public byte ExpectVersion(byte oldest, byte newest)
        {
            var actual = Byte("layout version");
            if (actual < oldest || actual > newest)
            {
                position--;
                throw Error($"layout version {actual}, this build reads versions {oldest}..{newest}");
            }

            return actual;
        }

        public void ExpectVersion(byte version)
        {
            var actual = Byte("layout version");
            if (actual != version)
            {
                position--;
                throw Error($"layout version {actual}, this build reads version {version}");
            }
        }

        public void ExpectEnd()
        {
            if (Remaining != 0)
            {
                throw Error($"{Remaining} bytes left over after the last field");
            }
        }

        public byte Byte(string field) => Take(1, field)[0];

        public int I32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

        public long I64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

        public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

        public byte[] Raw(int length, string field) => Take(length, field).ToArray();

        public byte[] Blob(string field)
        {
            var length = I32($"{field} length");
            if (length < 0 || length > Remaining)
            {
                position -= 4;
                throw Error($"{field} length {length} does not fit the {Remaining - 4} bytes after it");
            }

            return Raw(length, field);
        }

        private ReadOnlySpan<byte> Take(int length, string field)
        {
            if (length > Remaining)
            {
                throw Error($"{field} needs {length} bytes, {Remaining} left");
            }

            var span = bytes.AsSpan(position, length);
            position += length;
            return span;
        }
    }
}
