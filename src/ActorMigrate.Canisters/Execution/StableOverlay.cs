using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// One execution's view of a canister's stable memory: a copy-on-write overlay of 4 KiB pages over the
/// committed memory. Reads see the overlay first; <see cref="Commit"/> grows the committed memory and
/// writes the dirty pages into it; dropping the overlay is the rollback.
/// </summary>
/// <remarks>
/// 4 KiB is the IC's OS page, the unit of its dirty-page cost and limits; <see cref="NewlyDirtiedPages"/>
/// counts pages dirtied for the first time in this execution. A dirty page's buffer holds one valid byte
/// range (<see cref="DirtyPage"/>), the span from its lowest to its highest written byte, with any gap
/// between writes filled from the committed memory when a write leaves one: a small write (a node header,
/// a cell) copies its own bytes, not the whole page, and a commit writes back only that range. Pages are
/// pooled across executions so that the hot path does not allocate.
/// </remarks>
internal sealed class StableOverlay : IMemory
{
    internal const int PageSize = 4096;
    private const int PageShift = 12;
    private const int MaxPooledPages = 256;

    /// <summary>A written page: <see cref="Bytes"/>[<see cref="Low"/>..<see cref="High"/>) is the page's content, the rest is not.</summary>
    internal sealed class DirtyPage
    {
        public byte[] Bytes = new byte[PageSize];
        public int Low;
        public int High;
    }

    private readonly Dictionary<ulong, DirtyPage> dirty = [];
    private readonly Stack<DirtyPage> pool = new();
    private IMemory committed = null!;
    private ulong maxPages;

    public void Open(IMemory memory, ulong maxSizeInPages)
    {
        committed = memory;
        maxPages = maxSizeInPages;
        Size = memory.Size;
        NewlyDirtiedPages = 0;
    }

    public ulong Size { get; private set; }

    public long NewlyDirtiedPages { get; private set; }

    /// <summary>The 4 KiB pages this execution wrote (for hosts that persist committed deltas).</summary>
    internal Dictionary<ulong, DirtyPage>.KeyCollection DirtyPageIndexes => dirty.Keys;

    public bool HasChanges => dirty.Count > 0 || Size != committed.Size;

    public long Grow(ulong pages)
    {
        var previous = Size;
        if (pages > maxPages || previous > maxPages - pages)
        {
            return -1;
        }

        Size = previous + pages;
        return (long)previous;
    }

    public void Read(ulong offset, Span<byte> destination)
    {
        StableMemory.MemoryExtensions.CheckBounds(offset, destination.Length, WasmPage.ToBytes(Size));
        if (dirty.Count == 0 && offset + (ulong)destination.Length <= WasmPage.ToBytes(committed.Size))
        {
            committed.Read(offset, destination);
            return;
        }

        while (!destination.IsEmpty)
        {
            var page = offset >> PageShift;
            var inPage = (int)(offset & (PageSize - 1));
            var count = Math.Min(destination.Length, PageSize - inPage);
            var chunk = destination[..count];
            if (dirty.TryGetValue(page, out var written))
            {
                var low = Math.Max(inPage, written.Low);
                var high = Math.Min(inPage + count, written.High);
                if (low > inPage || high < inPage + count)
                {
                    ReadCommitted(offset, chunk); // the part outside the written range
                }

                if (low < high)
                {
                    written.Bytes.AsSpan(low, high - low).CopyTo(chunk[(low - inPage)..]);
                }
            }
            else
            {
                ReadCommitted(offset, chunk);
            }

            destination = destination[count..];
            offset += (ulong)count;
        }
    }

    /// <summary>Bytes beyond the committed size are pages grown in this execution: zeros.</summary>
    private void ReadCommitted(ulong offset, Span<byte> destination)
    {
        if (offset >= WasmPage.ToBytes(committed.Size))
        {
            destination.Clear();
        }
        else
        {
            committed.Read(offset, destination);
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        StableMemory.MemoryExtensions.CheckBounds(offset, source.Length, WasmPage.ToBytes(Size));
        while (!source.IsEmpty)
        {
            var page = offset >> PageShift;
            var inPage = (int)(offset & (PageSize - 1));
            var count = Math.Min(source.Length, PageSize - inPage);
            var written = PageForWrite(page, inPage, inPage + count);
            source[..count].CopyTo(written.Bytes.AsSpan(inPage, count));
            source = source[count..];
            offset += (ulong)count;
        }
    }

    /// <summary>Pages <see cref="Write"/> would dirty for the first time; lets the caller check the limit before writing.</summary>
    public long PagesNewlyDirtiedBy(ulong offset, long length)
    {
        if (length <= 0)
        {
            return 0;
        }

        var first = offset >> PageShift;
        var last = (offset + (ulong)length - 1) >> PageShift;
        long count = 0;
        for (var page = first; page <= last; page++)
        {
            if (!dirty.ContainsKey(page))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The dirty page about to receive bytes [<paramref name="low"/>, <paramref name="high"/>), its valid range widened to cover them.</summary>
    private DirtyPage PageForWrite(ulong page, int low, int high)
    {
        if (dirty.TryGetValue(page, out var written))
        {
            // Keep one valid range: a gap the new bytes would leave is filled from the committed page.
            var pageStart = page << PageShift;
            if (low > written.High)
            {
                ReadCommitted(pageStart + (ulong)written.High, written.Bytes.AsSpan(written.High, low - written.High));
            }
            else if (high < written.Low)
            {
                ReadCommitted(pageStart + (ulong)high, written.Bytes.AsSpan(high, written.Low - high));
            }

            written.Low = Math.Min(written.Low, low);
            written.High = Math.Max(written.High, high);
            return written;
        }

        written = pool.Count > 0 ? pool.Pop() : new DirtyPage();
        written.Low = low;
        written.High = high;
        dirty.Add(page, written);
        NewlyDirtiedPages++;
        return written;
    }

    /// <summary>Applies the execution's growth and dirty pages to the committed memory.</summary>
    public void Commit()
    {
        if (Size > committed.Size && committed.Grow(Size - committed.Size) < 0)
        {
            throw new InvalidOperationException($"the canister's stable memory refused to grow to {Size} pages");
        }

        var sparse = committed as SparseMemory;
        foreach (var (page, written) in dirty)
        {
            if (sparse is not null && written.Low == 0 && written.High == PageSize && PageSize == SparseMemory.BlockSizeInBytes)
            {
                // A whole page: the buffer becomes the committed block and the old block becomes this pooled buffer.
                written.Bytes = sparse.ExchangeBlock(page << PageShift, written.Bytes) ?? new byte[PageSize];
            }
            else
            {
                committed.Write((page << PageShift) + (ulong)written.Low, written.Bytes.AsSpan(written.Low, written.High - written.Low));
            }
        }

        Drop();
    }

    /// <summary>Discards every change (the rollback).</summary>
    public void Drop()
    {
        foreach (var written in dirty.Values)
        {
            if (pool.Count >= MaxPooledPages)
            {
                break;
            }

            pool.Push(written);
        }

        dirty.Clear();
        Size = committed.Size;
    }
}
