using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// One execution's view of a canister's stable memory: a copy-on-write overlay of 4 KiB pages over the
/// committed memory. Reads see the overlay first; <see cref="Commit"/> grows the committed memory and
/// writes the dirty pages into it; dropping the overlay is the rollback.
/// </summary>
/// <remarks>
/// 4 KiB is the IC's OS page, the unit of its dirty-page cost and limits; <see cref="NewlyDirtiedPages"/>
/// counts pages dirtied for the first time in this execution. Page buffers are pooled across
/// executions so that the hot path does not allocate.
/// </remarks>
internal sealed class StableOverlay : IMemory
{
    internal const int PageSize = 4096;
    private const int PageShift = 12;
    private const int MaxPooledPages = 256;

    private readonly Dictionary<ulong, byte[]> dirty = [];
    private readonly Stack<byte[]> pool = new();
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
    internal Dictionary<ulong, byte[]>.KeyCollection DirtyPageIndexes => dirty.Keys;

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
            if (dirty.TryGetValue(page, out var bytes))
            {
                bytes.AsSpan(inPage, count).CopyTo(destination);
            }
            else
            {
                ReadCommitted(offset, destination[..count]);
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
            source[..count].CopyTo(PageForWrite(page, whole: count == PageSize).AsSpan(inPage, count));
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

    private byte[] PageForWrite(ulong page, bool whole)
    {
        if (dirty.TryGetValue(page, out var bytes))
        {
            return bytes;
        }

        bytes = pool.Count > 0 ? pool.Pop() : new byte[PageSize];
        if (!whole)
        {
            ReadCommitted(page << PageShift, bytes);
        }

        dirty.Add(page, bytes);
        NewlyDirtiedPages++;
        return bytes;
    }

    /// <summary>Applies the execution's growth and dirty pages to the committed memory.</summary>
    public void Commit()
    {
        if (Size > committed.Size && committed.Grow(Size - committed.Size) < 0)
        {
            throw new InvalidOperationException($"the canister's stable memory refused to grow to {Size} pages");
        }

        foreach (var (page, bytes) in dirty)
        {
            committed.Write(page << PageShift, bytes);
        }

        Drop();
    }

    /// <summary>Discards every change (the rollback).</summary>
    public void Drop()
    {
        foreach (var bytes in dirty.Values)
        {
            if (pool.Count >= MaxPooledPages)
            {
                break;
            }

            pool.Push(bytes);
        }

        dirty.Clear();
        Size = committed.Size;
    }
}
