using System.Runtime.InteropServices;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The durable state a <see cref="StableMemoryActor"/> folds its events into: stable memory as a map
/// of non-zero 4 KiB pages plus its size, the latest metadata and heap image, the last round.
/// Keeping 4 KiB pages (the unit a round dirties) lets a checkpoint list exactly what is written.
/// Page arrays are never mutated once stored: a new round replaces them.
/// </summary>
internal sealed class CanisterDurableState
{
    private const ulong PagesPerWasmPage = WasmPage.SizeInBytes / PageDelta.PageSize;

    private readonly Dictionary<ulong, byte[]> pages = [];

    public long? LastRound { get; private set; }

    public ulong StableMemorySizeInPages { get; private set; }

    public ReadOnlyMemory<byte> Metadata { get; private set; } = ReadOnlyMemory<byte>.Empty;

    public ReadOnlyMemory<byte>? HeapImage { get; private set; }

    public int PageCount => pages.Count;

    /// <summary>Why <paramref name="round"/> cannot follow this state, or null when it can.</summary>
    public string? Check(PersistRound round)
    {
        if (LastRound is { } last && round.Round <= last)
        {
            return $"round {round.Round} is not after the last durable round {last}";
        }

        if (round.StableMemorySizeInPages > WasmPage.MaxStableMemoryPages)
        {
            return $"stable memory size {round.StableMemorySizeInPages} pages exceeds the IC's {WasmPage.MaxStableMemoryPages}";
        }

        if (!round.StableMemoryReset && round.StableMemorySizeInPages < StableMemorySizeInPages)
        {
            return $"stable memory shrank from {StableMemorySizeInPages} to {round.StableMemorySizeInPages} pages without a reset";
        }

        var limit = round.StableMemorySizeInPages * PagesPerWasmPage;
        foreach (var page in round.DirtyPages)
        {
            if (page.Bytes.Length != PageDelta.PageSize)
            {
                return $"page {page.PageIndex} has {page.Bytes.Length} bytes, not {PageDelta.PageSize}";
            }

            if (page.PageIndex >= limit)
            {
                return $"page {page.PageIndex} lies beyond the stable memory of {round.StableMemorySizeInPages} Wasm pages";
            }
        }

        return null;
    }

    /// <summary>The journal event for <paramref name="round"/>, with private copies of every buffer.</summary>
    public static RoundPersisted ToEvent(PersistRound round) => new(
        round.Round,
        round.StableMemorySizeInPages,
        round.StableMemoryReset,
        round.DirtyPages.Select(p => new PageDelta(p.PageIndex, p.Bytes.ToArray())).ToArray(),
        round.Metadata.ToArray(),
        round.HeapImage is { } heap ? heap.ToArray() : (ReadOnlyMemory<byte>?)null);

    public void Apply(RoundPersisted round)
    {
        if (round.StableMemoryReset)
        {
            pages.Clear();
        }

        StableMemorySizeInPages = round.StableMemorySizeInPages;
        foreach (var page in round.DirtyPages)
        {
            SetPage(page.PageIndex, page.Bytes);
        }

        Metadata = round.Metadata;
        if (round.HeapImage is { } heap)
        {
            HeapImage = heap;
        }

        LastRound = round.Round;
    }

    /// <summary>Sets everything at once (a checkpoint image being loaded).</summary>
    public void Restore(long round, ulong sizeInPages, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte>? heapImage)
    {
        pages.Clear();
        LastRound = round;
        StableMemorySizeInPages = sizeInPages;
        Metadata = metadata;
        HeapImage = heapImage;
    }

    public void SetPage(ulong index, ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Span.IndexOfAnyExcept((byte)0) < 0)
        {
            pages.Remove(index); // a zero page reads as unwritten memory; keeping it would only cost space
        }
        else
        {
            // Events hold private copies (ToEvent, the serializer), so their arrays can be shared.
            pages[index] = MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : bytes.ToArray();
        }
    }

    /// <summary>Non-zero pages in ascending index order (a checkpoint's content, deterministic).</summary>
    public IEnumerable<KeyValuePair<ulong, byte[]>> PagesInOrder() => pages.OrderBy(p => p.Key);

    /// <summary>A fresh <see cref="SparseMemory"/> holding the durable stable memory.</summary>
    public SparseMemory ToMemory()
    {
        var memory = new SparseMemory(initialPages: StableMemorySizeInPages);
        foreach (var (index, bytes) in pages)
        {
            memory.Write(index * PageDelta.PageSize, bytes);
        }

        return memory;
    }

    public DurableState ToDurableState(string canisterId) =>
        new(canisterId, LastRound, ToMemory(), Metadata, HeapImage);
}
