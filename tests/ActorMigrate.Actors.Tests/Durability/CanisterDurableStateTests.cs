using ActorMigrate.Actors.Durability;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>How the durable state folds heap images and deltas: merged only when a whole image is needed.</summary>
public sealed class CanisterDurableStateTests
{
    private static RoundPersisted Round(long round, byte[]? image = null, byte[]? delta = null) =>
        new(round, 0, false, [], new byte[] { (byte)round },
            image is null ? (ReadOnlyMemory<byte>?)null : image,
            delta is null ? (ReadOnlyMemory<byte>?)null : delta);

    [Fact]
    public void Heap_deltas_wait_unmerged_until_a_whole_image_is_needed_and_then_merge_into_the_heap_s_own_image()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new LedgerModule());
        ic.Update<bool>(id, "beat", true);
        var heap = ic.Subnet[id].Heap;
        var state = new CanisterDurableState();
        state.Apply(Round(1, image: heap.ToImage()));
        heap.TrackChanges();
        for (var round = 2; round <= 11; round++)
        {
            ic.Update<ulong>(id, "deposit_later", (40L * (round % 4), (ulong)round));
            ic.AdvanceTime(TimeSpan.FromMilliseconds(50));
            ic.Tick(1);
            state.Apply(Round(round, delta: heap.TakeDeltaImage()));
        }

        Assert.Equal(10, state.PendingHeapDeltas);
        Assert.Equal(heap.ToImage(), state.MergedHeapImage()!.Value.ToArray());
        Assert.Equal(0, state.PendingHeapDeltas);
    }

    [Fact]
    public void Only_a_write_between_rounds_may_share_the_last_round_s_number()
    {
        var state = new CanisterDurableState();
        state.Apply(Round(7));
        var round = new PersistRound(7, 0, [], new byte[] { 1 });

        Assert.Contains("round 7 is not after the last durable round 7", state.Check(round));
        Assert.Null(state.Check(round with { BetweenRounds = true }));
        Assert.Contains("round 6 is not after", state.Check(round with { Round = 6, BetweenRounds = true }));
        state.Apply(state.ToEvent(round with { BetweenRounds = true }));
        Assert.Null(state.Check(round with { BetweenRounds = true })); // a second operation before the next round
        Assert.Null(state.Check(round with { Round = 8 }));
    }

    [Fact]
    public void Recording_a_round_whose_buffers_are_handed_over_leaves_the_state_that_applying_its_event_leaves()
    {
        var model = new CanisterRounds(seed: 5);
        var adopting = new CanisterDurableState();
        var applying = new CanisterDurableState();
        for (var r = 1; r <= 12; r++)
        {
            var round = model.Next(r, dirtyPages: 1 + (r % 4), growPages: (ulong)(r % 5 == 0 ? 1 : 0));
            if (r % 3 == 0)
            {
                // A page written back to zeros, and a page dirtied with the bytes it already held.
                var zeroed = round.DirtyPages[0] with { Bytes = new byte[PageDelta.PageSize] };
                var unchanged = new PageDelta(7, model.Memory.AsSpan(7 * PageDelta.PageSize, PageDelta.PageSize).ToArray());
                model.Memory.AsSpan((int)zeroed.PageIndex * PageDelta.PageSize, PageDelta.PageSize).Clear();
                round = round with { DirtyPages = [zeroed, .. round.DirtyPages.Skip(1), unchanged] };
            }

            var copy = round with { DirtyPages = [.. round.DirtyPages.Select(p => p with { Bytes = p.Bytes.ToArray() })] };
            var recorded = adopting.Record(round with { BuffersHandedOver = true });
            var applied = applying.ToEvent(copy);
            applying.Apply(applied);

            Assert.Equal(applying.ToMemory().ToArray(), adopting.ToMemory().ToArray());
            Assert.Equal(model.Memory, adopting.ToMemory().ToArray());
            Assert.Equal(applied.ChangedRuns.Select(run => (run.PageIndex, run.Offset, run.Bytes.ToArray())), recorded.ChangedRuns.Select(run => (run.PageIndex, run.Offset, run.Bytes.ToArray())));
            Assert.Equal(r, adopting.LastRound);
            Assert.Equal(round.Metadata.ToArray(), adopting.Metadata.ToArray());
        }
    }

    [Fact]
    public void A_new_heap_image_drops_the_deltas_before_it()
    {
        var state = new CanisterDurableState();
        var empty = new Canisters.Heap().ToImage();
        state.Apply(Round(1, image: empty));
        state.Apply(Round(2, delta: [.. "AMHD"u8, 9, 9]));

        state.Apply(Round(3, image: empty));

        Assert.Equal(0, state.PendingHeapDeltas);
        Assert.Equal(empty, state.MergedHeapImage()!.Value.ToArray());
    }

    [Fact]
    public void A_delta_that_does_not_apply_is_a_corrupt_checkpoint_naming_the_round()
    {
        var state = new CanisterDurableState();
        state.Apply(Round(1, image: new Canisters.Heap().ToImage()));
        state.Apply(Round(2, delta: [.. "AMHD"u8, 1, 0]));

        var error = Assert.Throws<CorruptCheckpointException>(() => state.MergedHeapImage());

        Assert.Contains("heap deltas up to round 2 do not apply", error.Message);
        Assert.Contains("heap delta #0", error.Message);
    }
}
