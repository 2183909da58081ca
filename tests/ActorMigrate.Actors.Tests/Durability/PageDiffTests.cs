using ActorMigrate.Actors.Durability;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Actors.Tests.Durability;

public sealed class PageDiffTests
{
    /// <summary>A page and a later version of it: a few spans overwritten, as a B-tree insert or a cell write leaves it.</summary>
    private static Arbitrary<(byte[] Before, byte[] After)> Versions() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from edits in Gen.Choose(0, 6)
         from zeroBefore in Gen.Elements(false, false, true)
         select Edit(seed, edits, zeroBefore)).ToArbitrary();

    private static (byte[] Before, byte[] After) Edit(int seed, int edits, bool zeroBefore)
    {
        var random = new Random(seed);
        var before = new byte[PageDelta.PageSize];
        if (!zeroBefore)
        {
            random.NextBytes(before);
        }

        var after = before.ToArray();
        for (var i = 0; i < edits; i++)
        {
            var offset = random.Next(PageDelta.PageSize);
            var length = Math.Min(random.Next(1, 300), PageDelta.PageSize - offset);
            random.NextBytes(after.AsSpan(offset, length));
        }

        return (before, after);
    }

    [Property(MaxTest = 300)]
    public Property The_runs_applied_to_the_old_page_give_the_new_page_and_cover_only_blocks_that_changed() =>
        Prop.ForAll(Versions(), pages =>
        {
            var (before, after) = pages;
            var zero = before.AsSpan().IndexOfAnyExcept((byte)0) < 0;
            var runs = new List<PageRun>();
            PageDiff.AppendRuns(9, zero ? [] : before, after, runs);

            var changedBlocks = Enumerable.Range(0, PageDelta.PageSize / PageDiff.BlockSize)
                .Count(b => !before.AsSpan(b * PageDiff.BlockSize, PageDiff.BlockSize).SequenceEqual(after.AsSpan(b * PageDiff.BlockSize, PageDiff.BlockSize)));
            return PageDiff.Apply(zero ? [] : before, runs).AsSpan().SequenceEqual(after)
                && runs.All(r => r.PageIndex == 9 && r.Bytes.Length > 0)
                && runs.Sum(r => r.Bytes.Length) == changedBlocks * PageDiff.BlockSize;
        });

    [Fact]
    public void An_unchanged_page_has_no_runs_and_a_one_byte_change_one_block()
    {
        var page = new byte[PageDelta.PageSize];
        new Random(1).NextBytes(page);
        var runs = new List<PageRun>();

        PageDiff.AppendRuns(3, page, page.ToArray(), runs);
        Assert.Empty(runs);

        var changed = page.ToArray();
        changed[100]++;
        PageDiff.AppendRuns(3, page, changed, runs);
        var run = Assert.Single(runs);
        Assert.Equal((3UL, 96, 32), (run.PageIndex, run.Offset, run.Bytes.Length));
    }
}
