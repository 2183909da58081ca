using ActorMigrate.StableMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Canisters.Tests;

public sealed class StableOverlayTests
{
    /// <summary>One step: grow, or write/read a span somewhere within the first 3 pages, then maybe commit or roll back.</summary>
    public sealed record Step(int Kind, int Offset, int Length, byte Fill);

    private static readonly Arbitrary<Step[]> Steps =
        (from kind in Gen.Choose(0, 9)
         from offset in Gen.Choose(0, 3 * 65_536)
         from length in Gen.Choose(0, 10_000)
         from fill in Gen.Choose(1, 255)
         select new Step(kind, offset, length, (byte)fill)).ArrayOf().ToArbitrary();

    /// <summary>Small writes and reads packed into the first 16 KiB: several per 4 KiB page, with gaps between them.</summary>
    private static readonly Arbitrary<Step[]> SmallSteps =
        (from kind in Gen.Choose(0, 9)
         from offset in Gen.Choose(0, 16_384)
         from length in Gen.Choose(0, 300)
         from fill in Gen.Choose(1, 255)
         select new Step(kind, offset, length, (byte)fill)).ArrayOf().ToArbitrary();

    [Property(MaxTest = 100)]
    public Property The_overlay_reads_like_a_plain_memory_and_commits_or_drops_exactly_its_writes() =>
        Prop.ForAll(Steps, ReadsLikeAPlainMemory);

    [Property(MaxTest = 200)]
    public Property Small_writes_with_gaps_in_one_page_read_back_and_commit_like_a_plain_memory() =>
        Prop.ForAll(SmallSteps, ReadsLikeAPlainMemory);

    private static bool ReadsLikeAPlainMemory(Step[] steps)
    {
        var committed = new SparseMemory();
        var overlay = new StableOverlay();
        overlay.Open(committed, WasmPage.MaxStableMemoryPages);
        var modelCommitted = Array.Empty<byte>();
        var model = Array.Empty<byte>();
        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case 0:
                    overlay.Grow(1);
                    Array.Resize(ref model, model.Length + 65_536);
                    break;
                case 1:
                    overlay.Commit();
                    modelCommitted = (byte[])model.Clone();
                    break;
                case 2:
                    overlay.Drop();
                    model = (byte[])modelCommitted.Clone();
                    break;
                case <= 6 when step.Offset + step.Length <= model.Length:
                    var bytes = Enumerable.Repeat(step.Fill, step.Length).ToArray();
                    overlay.Write((ulong)step.Offset, bytes);
                    bytes.CopyTo(model, step.Offset);
                    break;
                case > 6 when step.Offset + step.Length <= model.Length:
                    var read = new byte[step.Length];
                    overlay.Read((ulong)step.Offset, read);
                    if (!read.AsSpan().SequenceEqual(model.AsSpan(step.Offset, step.Length)))
                    {
                        return false;
                    }

                    break;
            }
        }

        overlay.Drop();
        return committed.ToArray().AsSpan().SequenceEqual(modelCommitted);
    }

    [Fact]
    public void Newly_dirtied_pages_count_each_4_KiB_page_once_per_execution()
    {
        var overlay = new StableOverlay();
        overlay.Open(new SparseMemory(), WasmPage.MaxStableMemoryPages);
        overlay.Grow(1);

        overlay.Write(4_000, new byte[200]);  // pages 0 and 1
        overlay.Write(4_096, new byte[10]);   // page 1 again
        overlay.Write(12_288, new byte[1]);   // page 3

        Assert.Equal(3, overlay.NewlyDirtiedPages);
        Assert.Equal(0, overlay.PagesNewlyDirtiedBy(0, 4_096));
        Assert.Equal(1, overlay.PagesNewlyDirtiedBy(8_192, 100));
    }
}
