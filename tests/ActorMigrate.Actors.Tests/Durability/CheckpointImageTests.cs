using ActorMigrate.Actors.Durability;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Actors.Tests.Durability;

public sealed class CheckpointImageTests
{
    /// <summary>The image of <paramref name="state"/> as the actor writes it (frozen, written, merged heap adopted), as chunks with its length and SHA-256.</summary>
    private static (IReadOnlyList<byte[]> Chunks, long Length, byte[] Sha256) Write(CanisterDurableState state, int chunkSize)
    {
        var source = state.Freeze();
        var image = CheckpointImage.Write(source, chunkSize);
        state.AdoptMergedHeap(source, image.MergedHeap);
        return (image.Chunks, image.Length, image.Sha256);
    }

    private static CanisterDurableState StateFrom(int seed, int rounds)
    {
        var model = new CanisterRounds(seed, sizeInPages: 1);
        var state = new CanisterDurableState();
        for (var r = 1; r <= rounds; r++)
        {
            state.Apply(state.ToEvent(model.Next(r, dirtyPages: 1 + (r % 3), withHeapImage: r % 2 == 0, growPages: (ulong)(r % 2))));
        }

        return state;
    }

    [Property(MaxTest = 60)]
    public Property Any_state_cut_into_chunks_of_any_size_reads_back_identical() =>
        Prop.ForAll(
            Gen.Choose(0, 1000).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), Gen.Elements(1, 7, 100, 4096, 5000, 1 << 20).ToArbitrary(),
            (seed, rounds, chunkSize) =>
            {
                var state = StateFrom(seed, rounds);
                var (chunks, length, sha256) = Write(state, chunkSize);
                var slices = chunks.Select(c => (ReadOnlyMemory<byte>)c).ToList();
                var back = CheckpointImage.Read(slices, state.LastRound!.Value);
                return chunks.All(c => c.Length <= chunkSize)
                    && length == chunks.Sum(c => (long)c.Length)
                    && sha256.AsSpan().SequenceEqual(CheckpointImage.Sha256(slices))
                    && back.LastRound == state.LastRound
                    && back.ToMemory().ToArray().AsSpan().SequenceEqual(state.ToMemory().ToArray())
                    && back.Metadata.Span.SequenceEqual(state.Metadata.Span)
                    && back.MergedHeapImage().HasValue == state.MergedHeapImage().HasValue
                    && (back.MergedHeapImage() ?? default).Span.SequenceEqual((state.MergedHeapImage() ?? default).Span);
            });

    [Fact]
    public void An_image_missing_its_last_chunk_is_reported_with_the_page_and_offset_it_breaks_at()
    {
        var state = StateFrom(3, 3);
        var (chunks, _, _) = Write(state, 1000);
        var error = Assert.Throws<CorruptCheckpointException>(() =>
            CheckpointImage.Read(chunks.SkipLast(1).Select(c => (ReadOnlyMemory<byte>)c).ToList(), state.LastRound!.Value));
        Assert.Matches(@"checkpoint image: page \d+ claims 4096 bytes at offset \d+, \d+ left", error.Message);
    }

    [Fact]
    public void An_image_of_another_round_is_refused()
    {
        var state = StateFrom(4, 2);
        var (chunks, _, _) = Write(state, 1 << 20);
        var error = Assert.Throws<CorruptCheckpointException>(() =>
            CheckpointImage.Read(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToList(), 99));
        Assert.Contains("says round 2, its manifest says 99", error.Message);
    }

    /// <summary>A ledger heap imaged once, then <paramref name="deltas"/> rounds of deposits journaled as deltas; returns the state and the heap's true image.</summary>
    private static (CanisterDurableState State, byte[] Heap) LedgerState(int deltas)
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new LedgerModule());
        ic.Update<bool>(id, "beat", true);
        for (var account = 0UL; account < 300; account++)
        {
            ic.Update<ulong>(id, "deposit_later", (1_000_000_000L, account)); // pending far ahead: a heap image much larger than one round's delta
        }

        var heap = ic.Subnet[id].Heap;
        var state = new CanisterDurableState();
        var model = new CanisterRounds(seed: 8, sizeInPages: 1);
        var first = state.ToEvent(model.Next(1, dirtyPages: 2));
        state.Apply(first with { HeapImage = heap.ToImage() });
        heap.TrackChanges();
        for (var round = 2; round <= deltas + 1; round++)
        {
            ic.Update<ulong>(id, "deposit_later", (40L * (round % 4), (ulong)round));
            ic.Tick(1);
            state.Apply(state.ToEvent(model.Next(round, dirtyPages: 1)) with { HeapDelta = heap.TakeDeltaImage() });
        }

        return (state, heap.ToImage());
    }

    [Fact]
    public void Heap_deltas_smaller_than_the_image_stay_unmerged_in_the_checkpoint_and_recovery_merges_them()
    {
        var (state, heap) = LedgerState(deltas: 3);
        var (chunks, _, _) = Write(state, 4096);
        Assert.Equal(3, state.PendingHeapDeltas); // not merged for the checkpoint

        var back = CheckpointImage.Read(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToList(), state.LastRound!.Value);
        Assert.Equal(3, back.PendingHeapDeltas);
        Assert.Equal(heap, back.MergedHeapImage()!.Value.ToArray());
    }

    [Fact]
    public void Heap_deltas_as_large_as_the_image_are_merged_into_the_checkpoint_and_the_state_keeps_the_merge()
    {
        var (state, heap) = LedgerState(deltas: 400);
        var (chunks, _, _) = Write(state, 4096);
        Assert.Equal(0, state.PendingHeapDeltas); // adopted: the next checkpoint starts from the merged image

        var back = CheckpointImage.Read(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToList(), state.LastRound!.Value);
        Assert.Equal(0, back.PendingHeapDeltas);
        Assert.Equal(heap, back.MergedHeapImage()!.Value.ToArray());
    }

    [Fact]
    public void A_layout_1_image_without_the_delta_section_still_reads()
    {
        var state = StateFrom(5, 4);
        var (chunks, _, _) = Write(state, 1 << 20);
        var v2 = chunks.SelectMany(c => c).ToList();
        // Layout 1 is layout 2 without the delta count after the heap image (this state has no deltas).
        var metadataLength = BitConverter.ToInt32(v2.ToArray(), 21);
        var heapLength = BitConverter.ToInt32(v2.ToArray(), 25 + metadataLength);
        var deltaCountAt = 29 + metadataLength + Math.Max(heapLength, 0);
        Assert.Equal(0, BitConverter.ToInt32(v2.ToArray(), deltaCountAt));
        v2.RemoveRange(deltaCountAt, 4);
        v2[4] = 1;

        var back = CheckpointImage.Read([v2.ToArray()], state.LastRound!.Value);
        Assert.Equal(state.ToMemory().ToArray(), back.ToMemory().ToArray());
        Assert.Equal((state.MergedHeapImage() ?? default).ToArray(), (back.MergedHeapImage() ?? default).ToArray());
        Assert.Equal(state.Metadata.ToArray(), back.Metadata.ToArray());
    }
}
