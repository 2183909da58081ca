namespace ActorMigrate.StableMemory;

/// <summary>
/// A stable memory that allocates only the 4 KiB blocks written to; unwritten bytes read as zeros.
/// A 400 GiB memory with a few pages written costs a few blocks plus a directory of about 6,400
/// references (one per 64 MiB segment).
/// </summary>
/// <remarks>
/// Bytes live in a three-level table: a directory of segments (allocated when the memory grows), each a
/// lazily allocated array of 1,024 page tables (one per 64 KiB page), each a table of 16 blocks of 4 KiB
/// allocated on their first write. Blocks rather than whole pages because canisters write sparsely: the
/// MemoryManager's header, the first bucket of each virtual memory (8 MiB apart) and a structure's header
/// each touch a 64 KiB page for a few hundred bytes, and snapshots copy what is allocated. A lookup is
/// three array indexes, so reads and writes stay close to a plain array copy.
/// </remarks>
public sealed class SparseMemory : IMemory
{
    private const int PageShift = 16; // 64 KiB
    private const int BlockShift = 12; // 4 KiB, the IC's OS page
    private const int BlockSize = 1 << BlockShift;
    private const int BlocksPerPage = 1 << (PageShift - BlockShift);
    private const int PagesPerSegmentShift = 10;
    private const int PagesPerSegment = 1 << PagesPerSegmentShift;

    private byte[]?[]?[]?[] segments = [];

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

    /// <summary>An independent copy (a snapshot) that may grow to <paramref name="maxPages"/>: only the blocks written so far are copied.</summary>
    public SparseMemory Clone(ulong maxPages)
    {
        if (Size > maxPages)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPages), $"a copy of {Size} pages cannot be limited to {maxPages}");
        }

        var copy = new SparseMemory(maxPages) { Size = Size, AllocatedPages = AllocatedPages, segments = new byte[]?[]?[]?[segments.Length] };
        for (var s = 0; s < segments.Length; s++)
        {
            if (segments[s] is not { } segment)
            {
                continue;
            }

            var pages = copy.segments[s] = new byte[]?[]?[PagesPerSegment];
            for (var p = 0; p < segment.Length; p++)
            {
                if (segment[p] is not { } blocks)
                {
                    continue;
                }

                var copiedBlocks = pages[p] = new byte[]?[BlocksPerPage];
                for (var b = 0; b < blocks.Length; b++)
                {
                    copiedBlocks[b] = blocks[b]?.Clone() as byte[];
                }
            }
        }

        return copy;
    }

    public ulong Size { get; private set; }

    /// <summary>64 KiB pages that hold written data (some of their blocks): what this memory actually costs, at most.</summary>
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
            var block = offset >> BlockShift;
            var inBlock = (int)(offset & (BlockSize - 1));
            var count = Math.Min(destination.Length, BlockSize - inBlock);
            var page = block >> (PageShift - BlockShift);
            var bytes = segments[page >> PagesPerSegmentShift]?[page & (PagesPerSegment - 1)]?[block & (BlocksPerPage - 1)];
            if (bytes is null)
            {
                destination[..count].Clear();
            }
            else
            {
                bytes.AsSpan(inBlock, count).CopyTo(destination);
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
            var block = offset >> BlockShift;
            var inBlock = (int)(offset & (BlockSize - 1));
            var count = Math.Min(source.Length, BlockSize - inBlock);
            source[..count].CopyTo(BlockForWrite(block).AsSpan(inBlock, count));
            source = source[count..];
            offset += (ulong)count;
        }
    }

    /// <summary>The unit this memory allocates: 4 KiB, the IC's OS page.</summary>
    public const int BlockSizeInBytes = BlockSize;

    /// <summary>
    /// Makes <paramref name="block"/> the content of the block at <paramref name="offset"/> without copying it,
    /// and returns the array that held that block before (null when it was never written), which no longer
    /// belongs to this memory. The caller gives up <paramref name="block"/>: a transaction committing a whole
    /// dirty 4 KiB page hands its buffer over instead of copying it and takes the old one back for reuse.
    /// </summary>
    public byte[]? ExchangeBlock(ulong offset, byte[] block)
    {
        if (block.Length != BlockSize || offset % BlockSize != 0)
        {
            throw new ArgumentException($"a block is {BlockSize} bytes at a multiple of {BlockSize}, not {block.Length} bytes at offset {offset}", nameof(block));
        }

        MemoryExtensions.CheckBounds(offset, BlockSize, WasmPage.ToBytes(Size));
        var index = offset >> BlockShift;
        ref var slot = ref BlocksOfPage(index >> (PageShift - BlockShift))[index & (BlocksPerPage - 1)];
        var previous = slot;
        slot = block;
        return previous;
    }

    private byte[] BlockForWrite(ulong block) =>
        BlocksOfPage(block >> (PageShift - BlockShift))[block & (BlocksPerPage - 1)] ??= new byte[BlockSize];

    /// <summary>The block table of 64 KiB page <paramref name="page"/>, made on its first write.</summary>
    private byte[]?[] BlocksOfPage(ulong page)
    {
        var segment = segments[page >> PagesPerSegmentShift] ??= new byte[]?[]?[PagesPerSegment];
        ref var blocks = ref segment[page & (PagesPerSegment - 1)];
        if (blocks is null)
        {
            blocks = new byte[]?[BlocksPerPage];
            AllocatedPages++;
        }

        return blocks;
    }
}
