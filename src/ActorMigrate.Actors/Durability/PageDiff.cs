namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The runs of a dirty page that differ from its durable content, compared in 32-byte blocks. A round
/// that moves twenty records into a B-tree dirties whole 4 KiB pages but changes a fraction of each;
/// journaling only the differing blocks cuts a round's event (and, through the checkpoint ratio, how
/// often the whole state is checkpointed) to what changed. Blocks, not bytes: a run header costs 12
/// bytes, and comparing 32 bytes at a time is one vector compare.
/// </summary>
internal static class PageDiff
{
    public const int BlockSize = 32;
    private const int BlocksPerPage = PageDelta.PageSize / BlockSize;

    /// <summary>The runs turning <paramref name="before"/> (empty = a zero page) into <paramref name="after"/>, each a private copy.</summary>
    public static void AppendRuns(ulong pageIndex, ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, List<PageRun> runs)
    {
        var start = -1;
        for (var block = 0; block <= BlocksPerPage; block++)
        {
            var differs = block < BlocksPerPage && Differs(before, after, block * BlockSize);
            if (differs && start < 0)
            {
                start = block * BlockSize;
            }
            else if (!differs && start >= 0)
            {
                runs.Add(new PageRun(pageIndex, start, after[start..(block * BlockSize)].ToArray()));
                start = -1;
            }
        }
    }

    private static bool Differs(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, int offset)
    {
        var now = after.Slice(offset, BlockSize);
        return before.IsEmpty ? now.IndexOfAnyExcept((byte)0) >= 0 : !now.SequenceEqual(before.Slice(offset, BlockSize));
    }

    /// <summary>A new page: <paramref name="before"/> (empty = zeros) with <paramref name="runs"/> written over it.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> before, IEnumerable<PageRun> runs)
    {
        var page = new byte[PageDelta.PageSize];
        before.CopyTo(page);
        foreach (var run in runs)
        {
            run.Bytes.Span.CopyTo(page.AsSpan(run.Offset));
        }

        return page;
    }
}
