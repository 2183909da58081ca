using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The byte stream a checkpoint writes: a canister's whole durable state, cut into
/// <see cref="CheckpointChunk"/> events of at most <c>chunkSize</c> bytes so that no single journal row
/// or snapshot holds a GiB (see CHECKPOINTS.md). Fields may straddle chunk boundaries.
/// </summary>
/// <remarks>
/// Layout (little-endian):
/// | offset    | size           | field                                                   |
/// |-----------|----------------|---------------------------------------------------------|
/// | 0         | 4              | magic "AMCK"                                            |
/// | 4         | 1              | layout version (2; version 1, without the deltas, is still read) |
/// | 5         | 8              | round (i64)                                             |
/// | 13        | 8              | stable memory size in 64 KiB Wasm pages (u64)           |
/// | 21        | 4              | metadata length m (i32)                                 |
/// | 25        | m              | metadata                                                |
/// | 25+m      | 4              | heap image length h (i32), -1 = no heap image           |
/// | 29+m      | max(h,0)       | heap image                                              |
/// | ..        | 4              | heap delta count d (i32)                                |
/// | ..        | d × (4 + len)  | heap deltas after the image, in order: length (i32), "AMHD" bytes |
/// | ..        | 8              | page count n (i64)                                      |
/// | ..        | n × (8 + 4096) | pages in ascending index: 4 KiB page index (u64), bytes |
/// The manifest (the snapshot) records the stream's length and SHA-256.
/// The heap deltas journaled since the last image stay unmerged until they hold as many bytes as the
/// image (then the writer merges them, and the state adopts the result): a merge rewrites the whole
/// heap image, so merging at every checkpoint cost a 1M-account canister more than half of each
/// checkpoint; this way merging is amortized over the deltas. Recovery merges once, as it already does
/// for the rounds after the checkpoint.
/// </remarks>
internal static class CheckpointImage
{
    private static ReadOnlySpan<byte> Magic => "AMCK"u8;
    private const byte Version = 2;

    /// <summary>
    /// The image of <paramref name="source"/> as chunks, with its length, SHA-256 and the merged heap image
    /// it holds. Touches nothing but <paramref name="source"/>, so it may run on any thread.
    /// </summary>
    /// <exception cref="CorruptCheckpointException">The heap deltas do not apply.</exception>
    public static Built Write(CheckpointSource source, int chunkSize)
    {
        var writer = new ChunkWriter(chunkSize);
        writer.Write(Magic);
        writer.Write([Version]);
        writer.WriteI64(source.Round);
        writer.WriteU64(source.StableMemorySizeInPages);
        writer.WriteI32(source.Metadata.Length);
        writer.Write(source.Metadata.Span);
        var deltaBytes = source.HeapDeltas.Sum(d => (long)d.Length);
        var merge = source.HeapDeltas.Count > 0 && (source.HeapImage is not { } image || deltaBytes >= image.Length);
        var merged = merge ? source.MergedHeapImage() : null; // without an image the deltas do not apply: it throws
        if ((merge ? merged : source.HeapImage) is { } heap)
        {
            writer.WriteI32(heap.Length);
            writer.Write(heap.Span);
        }
        else
        {
            writer.WriteI32(-1);
        }

        IReadOnlyList<ReadOnlyMemory<byte>> deltas = merge ? [] : source.HeapDeltas;
        writer.WriteI32(deltas.Count);
        foreach (var delta in deltas)
        {
            writer.WriteI32(delta.Length);
            writer.Write(delta.Span);
        }

        var pages = source.Pages;
        Array.Sort(pages, (a, b) => a.Key.CompareTo(b.Key));
        writer.WriteI64(pages.Length);
        foreach (var (index, bytes) in pages)
        {
            writer.WriteU64(index);
            writer.Write(bytes);
        }

        var (chunks, length, sha256) = writer.Finish();
        return new Built(chunks, length, sha256, merged);
    }

    /// <summary>A written image: its chunks, length and SHA-256, and the merged heap image it holds (null when it kept the deltas unmerged).</summary>
    public sealed record Built(IReadOnlyList<byte[]> Chunks, long Length, byte[] Sha256, ReadOnlyMemory<byte>? MergedHeap);

    /// <summary>Reads the image held by <paramref name="chunks"/> (in order) into a new state.</summary>
    /// <exception cref="CorruptCheckpointException">The stream is not a well-formed image of <paramref name="round"/>.</exception>
    public static CanisterDurableState Read(IReadOnlyList<ReadOnlyMemory<byte>> chunks, long round)
    {
        var reader = new SequenceReader<byte>(ToSequence(chunks));
        Span<byte> header = stackalloc byte[5];
        Take(ref reader, header, "magic and version");
        if (!header[..4].SequenceEqual(Magic) || header[4] is < 1 or > Version)
        {
            throw new CorruptCheckpointException(
                $"checkpoint image of round {round} starts with {Convert.ToHexString(header)}, not \"AMCK\" version 1..{Version}");
        }

        var imageRound = ReadI64(ref reader, "round");
        if (imageRound != round)
        {
            throw new CorruptCheckpointException($"checkpoint image says round {imageRound}, its manifest says {round}");
        }

        var size = (ulong)ReadI64(ref reader, "stable memory size");
        var metadata = ReadBlob(ref reader, ReadI32(ref reader, "metadata length"), "metadata");
        var heapLength = ReadI32(ref reader, "heap image length");
        ReadOnlyMemory<byte>? heap = heapLength == -1 ? (ReadOnlyMemory<byte>?)null : ReadBlob(ref reader, heapLength, "heap image");

        var state = new CanisterDurableState();
        state.Restore(round, size, metadata, heap);
        var deltaCount = header[4] >= 2 ? ReadI32(ref reader, "heap delta count") : 0;
        if (deltaCount > 0 && heap is null)
        {
            throw new CorruptCheckpointException($"checkpoint image of round {round} holds {deltaCount} heap deltas but no heap image");
        }

        for (var i = 0; i < deltaCount; i++)
        {
            var delta = ReadBlob(ref reader, ReadI32(ref reader, $"length of heap delta #{i}"), $"heap delta #{i}");
            if (!HeapImageDelta.IsDelta(delta))
            {
                throw new CorruptCheckpointException($"checkpoint image of round {round}: heap delta #{i} does not start with \"AMHD\"");
            }

            state.AddHeapDelta(delta);
        }

        var count = ReadI64(ref reader, "page count");
        var limit = size * (StableMemory.WasmPage.SizeInBytes / PageDelta.PageSize);
        for (long i = 0; i < count; i++)
        {
            var index = (ulong)ReadI64(ref reader, $"index of page #{i}");
            if (index >= limit)
            {
                throw new CorruptCheckpointException(
                    $"checkpoint image of round {round}: page #{i} has index {index}, beyond the memory of {size} Wasm pages");
            }

            state.SetPage(index, ReadBlob(ref reader, PageDelta.PageSize, $"page {index}"));
        }

        if (!reader.End)
        {
            throw new CorruptCheckpointException(
                $"checkpoint image of round {round} has {reader.Remaining} bytes after its last page (offset {reader.Consumed})");
        }

        return state;
    }

    public static byte[] Sha256(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var chunk in chunks)
        {
            hash.AppendData(chunk.Span);
        }

        return hash.GetHashAndReset();
    }

    private static ReadOnlySequence<byte> ToSequence(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private static void Take(ref SequenceReader<byte> reader, scoped Span<byte> destination, string field)
    {
        if (!reader.TryCopyTo(destination))
        {
            throw new CorruptCheckpointException(
                $"checkpoint image ends inside {field}: {destination.Length} bytes needed at offset {reader.Consumed}, {reader.Remaining} left");
        }

        reader.Advance(destination.Length);
    }

    private static long ReadI64(ref SequenceReader<byte> reader, string field)
    {
        Span<byte> bytes = stackalloc byte[8];
        Take(ref reader, bytes, field);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    private static int ReadI32(ref SequenceReader<byte> reader, string field)
    {
        Span<byte> bytes = stackalloc byte[4];
        Take(ref reader, bytes, field);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    private static byte[] ReadBlob(ref SequenceReader<byte> reader, int length, string field)
    {
        if (length < 0 || length > reader.Remaining)
        {
            throw new CorruptCheckpointException(
                $"checkpoint image: {field} claims {length} bytes at offset {reader.Consumed}, {reader.Remaining} left");
        }

        var bytes = new byte[length];
        Take(ref reader, bytes, field);
        return bytes;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>
    /// Fills fixed-size chunks and hashes what it writes. Chunks are allocated uninitialized: every byte
    /// of them is written before use, and zeroing hundreds of MiB first was a pass over memory for nothing.
    /// </summary>
    private sealed class ChunkWriter(int chunkSize)
    {
        private readonly List<byte[]> chunks = [];
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] current = GC.AllocateUninitializedArray<byte>(chunkSize);
        private int used;
        private long length;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            hash.AppendData(bytes);
            length += bytes.Length;
            while (!bytes.IsEmpty)
            {
                if (used == current.Length)
                {
                    chunks.Add(current);
                    current = GC.AllocateUninitializedArray<byte>(chunkSize);
                    used = 0;
                }

                var count = Math.Min(bytes.Length, current.Length - used);
                bytes[..count].CopyTo(current.AsSpan(used));
                used += count;
                bytes = bytes[count..];
            }
        }

        public void WriteI64(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            Write(bytes);
        }

        public void WriteU64(ulong value) => WriteI64((long)value);

        public void WriteI32(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            Write(bytes);
        }

        public (IReadOnlyList<byte[]> Chunks, long Length, byte[] Sha256) Finish()
        {
            if (used > 0)
            {
                chunks.Add(used == current.Length ? current : current[..used]);
            }

            var digest = hash.GetHashAndReset();
            hash.Dispose();
            return (chunks, length, digest);
        }
    }
}
