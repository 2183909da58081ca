using System.Runtime.InteropServices;
using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The durable state a <see cref="StableMemoryActor"/> folds its events into: stable memory as a map
/// of non-zero 4 KiB pages plus its size, the latest metadata, the heap (an image and the deltas of the
/// rounds since), the last round. Keeping 4 KiB pages (the unit a round dirties) lets a checkpoint list
/// exactly what is written. Page arrays are never mutated once stored: a new round replaces them.
/// </summary>
/// <remarks>
/// Heap deltas are only collected per round; they are merged into the image
/// (<see cref="HeapImageDelta.Apply"/>, once for all of them) only when a whole image is needed: a
/// checkpoint, or the end of recovery. Merging per round would rewrite the whole heap every round —
/// the cost deltas exist to avoid.
/// </remarks>
internal sealed class CanisterDurableState
{
    private const ulong PagesPerWasmPage = WasmPage.SizeInBytes / PageDelta.PageSize;

    private readonly Dictionary<ulong, byte[]> pages = [];

    public long? LastRound { get; private set; }

    public ulong StableMemorySizeInPages { get; private set; }

    public ReadOnlyMemory<byte> Metadata { get; private set; } = ReadOnlyMemory<byte>.Empty;

    private ReadOnlyMemory<byte>? heapImage;
    private readonly List<ReadOnlyMemory<byte>> heapDeltas = [];
    private long heapDeltaBytes; // their total length: read every round once a checkpoint is due

    /// <summary>Heap deltas journaled since the last heap image (or the last merge).</summary>
    public int PendingHeapDeltas => heapDeltas.Count;

    /// <summary>
    /// The durable heap image: the last image with every later delta merged into it (the merge happens
    /// here, once, and its result replaces the image and the deltas). Null when no heap was ever persisted.
    /// </summary>
    /// <exception cref="CorruptCheckpointException">A delta does not apply (no image before it, or malformed).</exception>
    public ReadOnlyMemory<byte>? MergedHeapImage()
    {
        if (heapDeltas.Count > 0)
        {
            SetHeapImage(CheckpointSource.Merge(heapImage, heapDeltas, LastRound));
        }

        return heapImage;
    }

    /// <summary>A whole heap image replaces the last one and every delta after it.</summary>
    private void SetHeapImage(ReadOnlyMemory<byte>? image)
    {
        heapImage = image;
        heapDeltas.Clear();
        heapDeltaBytes = 0;
        heapImageGeneration++;
    }

    /// <summary>Counts the heap images set, so a merge done elsewhere knows whether its base is still this state's.</summary>
    private long heapImageGeneration;

    /// <summary>
    /// What a checkpoint images, as of now, in a form later rounds cannot change: the page arrays (never
    /// mutated once stored) in a list of their own, the heap image with the deltas after it, the metadata.
    /// Costs a pass over the page table; the merge, sort, copy and hash happen in
    /// <see cref="CheckpointImage.Write(CheckpointSource, int)"/>, on any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">No round is durable yet.</exception>
    public CheckpointSource Freeze() => new(
        LastRound ?? throw new InvalidOperationException("no round to checkpoint"),
        StableMemorySizeInPages,
        Metadata,
        heapImage,
        [.. heapDeltas],
        heapImageGeneration,
        [.. pages]);

    /// <summary>
    /// Takes the heap image a checkpoint merged from <paramref name="source"/> as this state's image, in
    /// place of the image and the deltas it merged (deltas journaled since stay after it), so the next
    /// merge starts from it. Nothing happens when a new heap image replaced that base meanwhile.
    /// </summary>
    public void AdoptMergedHeap(CheckpointSource source, ReadOnlyMemory<byte>? merged)
    {
        if (merged is null || source.HeapDeltas.Count == 0 || source.HeapImageGeneration != heapImageGeneration || heapDeltas.Count < source.HeapDeltas.Count)
        {
            return;
        }

        var rest = heapDeltas.Skip(source.HeapDeltas.Count).ToList();
        SetHeapImage(merged);
        foreach (var delta in rest)
        {
            heapDeltas.Add(delta);
            heapDeltaBytes += delta.Length;
        }
    }

    public int PageCount => pages.Count;

    /// <summary>About the size of this state's checkpoint image: its non-zero pages, metadata and heap bytes (image and pending deltas).</summary>
    public long ImageBytesEstimate => (long)pages.Count * PageDelta.PageSize + Metadata.Length + (heapImage?.Length ?? 0) + heapDeltaBytes;

    /// <summary>Why <paramref name="round"/> cannot follow this state, or null when it can.</summary>
    public string? Check(PersistRound round)
    {
        if (round.HeapImage is not null && round.HeapDelta is not null)
        {
            return $"round {round.Round} carries both a heap image and a heap delta";
        }

        if (round.HeapDelta is not null && heapImage is null)
        {
            return $"round {round.Round} carries a heap delta, but no heap image is durable to apply it to";
        }

        if (round.HeapDelta is { } d && !HeapImageDelta.IsDelta(d.Span))
        {
            return $"round {round.Round}: its heap delta does not start with \"AMHD\"";
        }

        if (LastRound is { } last && !Follows(round.Round, round.BetweenRounds, last))
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

    /// <summary>
    /// Whether an event of <paramref name="round"/> may come after <paramref name="last"/>: a later round, or a
    /// management operation's change between rounds after the last one (it shares that round's number).
    /// </summary>
    public static bool Follows(long round, bool betweenRounds, long last) => round > last || (betweenRounds && round == last);

    /// <summary>
    /// The journal event for <paramref name="round"/>, applied to this state. When the sender handed its
    /// buffers over, the round's whole dirty pages become this state's pages as they are: applying the
    /// event would rebuild each one from the runs just diffed out of it (the same bytes, in one more
    /// 4 KiB array per dirty page and round).
    /// </summary>
    public RoundPersisted Record(PersistRound round)
    {
        var recorded = ToEvent(round);
        if (!round.BuffersHandedOver)
        {
            Apply(recorded);
            return recorded;
        }

        ApplySizeAndReset(recorded);
        foreach (var page in round.DirtyPages)
        {
            SetPage(page.PageIndex, page.Bytes);
        }

        ApplyRest(recorded);
        return recorded;
    }

    /// <summary>
    /// The journal event for <paramref name="round"/>: each dirty page as the runs that differ from this
    /// state's page (<see cref="PageDiff"/>; a reset round and a page never held diff against zeros, and
    /// the runs are fresh arrays), metadata and heap bytes copied — or taken as they are when the sender
    /// handed them over (<see cref="PersistRound.BuffersHandedOver"/>).
    /// </summary>
    public RoundPersisted ToEvent(PersistRound round)
    {
        var runs = new List<PageRun>();
        foreach (var page in round.DirtyPages)
        {
            var before = !round.StableMemoryReset && pages.TryGetValue(page.PageIndex, out var current) ? current : ReadOnlySpan<byte>.Empty;
            PageDiff.AppendRuns(page.PageIndex, before, page.Bytes.Span, runs);
        }

        var owned = round.BuffersHandedOver;
        return new(
            round.Round,
            round.StableMemorySizeInPages,
            round.StableMemoryReset,
            runs,
            owned ? round.Metadata : round.Metadata.ToArray(),
            round.HeapImage is { } heap ? (owned ? heap : heap.ToArray()) : (ReadOnlyMemory<byte>?)null,
            round.HeapDelta is { } delta ? (owned ? delta : delta.ToArray()) : (ReadOnlyMemory<byte>?)null,
            round.BetweenRounds);
    }

    public void Apply(RoundPersisted round)
    {
        ApplySizeAndReset(round);
        var runs = round.ChangedRuns;
        for (var first = 0; first < runs.Count;)
        {
            // A page's runs are adjacent (PageDiff appends them page by page): one new array per page.
            var index = runs[first].PageIndex;
            var end = first + 1;
            while (end < runs.Count && runs[end].PageIndex == index)
            {
                end++;
            }

            var before = pages.TryGetValue(index, out var current) ? current : ReadOnlySpan<byte>.Empty;
            SetPage(index, PageDiff.Apply(before, runs.Skip(first).Take(end - first)));
            first = end;
        }

        ApplyRest(round);
    }

    private void ApplySizeAndReset(RoundPersisted round)
    {
        if (round.StableMemoryReset)
        {
            pages.Clear();
        }

        StableMemorySizeInPages = round.StableMemorySizeInPages;
    }

    /// <summary>Everything of <paramref name="round"/> but its stable pages: metadata, heap, round number.</summary>
    private void ApplyRest(RoundPersisted round)
    {
        Metadata = round.Metadata;
        if (round.HeapImage is { } heap)
        {
            SetHeapImage(heap);
        }
        else if (round.HeapDelta is { } delta)
        {
            AddHeapDelta(delta);
        }

        LastRound = round.Round;
    }

    /// <summary>A heap delta after the current image and deltas (a round's, or one a checkpoint image kept unmerged).</summary>
    public void AddHeapDelta(ReadOnlyMemory<byte> delta)
    {
        heapDeltas.Add(delta);
        heapDeltaBytes += delta.Length;
    }

    /// <summary>Sets everything at once (a checkpoint image being loaded).</summary>
    public void Restore(long round, ulong sizeInPages, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte>? image)
    {
        pages.Clear();
        LastRound = round;
        StableMemorySizeInPages = sizeInPages;
        Metadata = metadata;
        SetHeapImage(image);
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

    /// <exception cref="CorruptCheckpointException">The heap deltas do not apply (see <see cref="MergedHeapImage"/>).</exception>
    public DurableState ToDurableState(string canisterId) =>
        new(canisterId, LastRound, ToMemory(), Metadata, MergedHeapImage());
}
