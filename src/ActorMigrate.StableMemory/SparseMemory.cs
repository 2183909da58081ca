namespace ActorMigrate.StableMemory;

/// <summary>
/// A stable memory that allocates only the 64 KiB pages written to; unwritten pages read as zeros.
/// A 400 GiB memory with a few pages written costs a few pages plus a directory of about 6,400
/// references (one per 64 MiB segment).
/// </summary>
/// <remarks>
/// Pages live in a two-level table: a directory of segments (allocated when the memory grows), each a
/// lazily allocated array of 1,024 page references; a page is allocated on its first write.
/// A lookup is two array indexes, so reads and writes stay close to a plain array copy.
/// </remarks>
public sealed class SparseMemory : IMemory
{
    private const int PageShift = 16; // 64 KiB
    private const int PagesPerSegmentShift = 10;
    private const int PagesPerSegment = 1 << PagesPerSegmentShift;
    private const int PageSize = 1 << PageShift;

    private byte[]?[]?[] segments = [];

    /// <summary>A memory of <paramref name="initialPages"/> zero pages that may grow to <paramref name="maxPages"/>.</summary>
    public SparseMemory(ulong maxPages = WasmPage.MaxStableMemoryPages, ulong initialPages = 0)
    {
        MaxPages = maxPages;
        if (initialPages > 0 && Grow(initialPages) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialPages), $"{initialPages} pages exceed the maximum of {maxPages}");
        }
    }

    /// <summary>A memory holding a copy of <paramref name="image"/>, rounded up to whole pages.</summary>
    public static SparseMemory FromImage(ReadOnlySpan<byte> image, ulong maxPages = WasmPage.MaxStableMemoryPages)
    {
        var pages = ((ulong)image.Length + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
        var memory = new SparseMemory(maxPages, pages);
        memory.Write(0, image);
        return memory;
    }

    public ulong MaxPages { get; }

    /// <summary>An independent copy (a snapshot) that may grow to <paramref name="maxPages"/>: only the pages written so far are copied.</summary>
    public SparseMemory Clone(ulong maxPages)
    {
        if (Size > maxPages)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPages), $"a copy of {Size} pages cannot be limited to {maxPages}");
        }

        var copy = new SparseMemory(maxPages) { Size = Size, AllocatedPages = AllocatedPages, segments = new byte[]?[]?[segments.Length] };
        for (var s = 0; s < segments.Length; s++)
        {
            if (segments[s] is { } segment)
            {
                var pages = copy.segments[s] = new byte[]?[PagesPerSegment];
                for (var p = 0; p < segment.Length; p++)
                {
                    pages[p] = segment[p]?.Clone() as byte[];
                }
            }
        }

        return copy;
    }

    public ulong Size { get; private set; }

    /// <summary>Pages that hold written data: what this memory actually costs.</summary>
    public long AllocatedPages { get; private set; }

    public long Grow(ulong pages)
    {
        var previous = Size;
        if (pages > MaxPages || previous > MaxPages - pages)
        {
            return -1;
        }

        var newSize = previous + pages;
        var segmentsNeeded = (int)((newSize + PagesPerSegment - 1) >> PagesPerSegmentShift);
        if (segmentsNeeded > segments.Length)
        {
            Array.Resize(ref segments, Math.Max(segmentsNeeded, Math.Min(segments.Length * 2, MaxSegments)));
        }

        Size = newSize;
        return (long)previous;
    }

    private int MaxSegments => (int)((MaxPages + PagesPerSegment - 1) >> PagesPerSegmentShift);

    public void Read(ulong offset, Span<byte> destination)
    {
        MemoryExtensions.CheckBounds(offset, destination.Length, WasmPage.ToBytes(Size));
        while (!destination.IsEmpty)
        {
            var page = offset >> PageShift;
            var inPage = (int)(offset & (PageSize - 1));
            var count = Math.Min(destination.Length, PageSize - inPage);
            var bytes = segments[page >> PagesPerSegmentShift]?[page & (PagesPerSegment - 1)];
            if (bytes is null)
            {
                destination[..count].Clear();
            }
            else
            {
                bytes.AsSpan(inPage, count).CopyTo(destination);
            }

            destination = destination[count..];
            offset += (ulong)count;
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        MemoryExtensions.CheckBounds(offset, source.Length, WasmPage.ToBytes(Size));
        while (!source.IsEmpty)
        {
            var page = offset >> PageShift;
            var inPage = (int)(offset & (PageSize - 1));
            var count = Math.Min(source.Length, PageSize - inPage);
            source[..count].CopyTo(PageForWrite(page).AsSpan(inPage, count));
            source = source[count..];
            offset += (ulong)count;
        }
    }

    private byte[] PageForWrite(ulong page)
    {
        var segment = segments[page >> PagesPerSegmentShift] ??= new byte[]?[PagesPerSegment];
        ref var bytes = ref segment[page & (PagesPerSegment - 1)];
        if (bytes is null)
        {
            bytes = new byte[PageSize];
            AllocatedPages++;
        }

        return bytes;
    }
}
