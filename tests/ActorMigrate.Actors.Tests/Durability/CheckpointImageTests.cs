using ActorMigrate.Actors.Durability;
using ActorMigrate.StableMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Actors.Tests.Durability;

public sealed class CheckpointImageTests
{
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
                var (chunks, length, sha256) = CheckpointImage.Write(state, chunkSize);
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
        var (chunks, _, _) = CheckpointImage.Write(state, 1000);
        var error = Assert.Throws<CorruptCheckpointException>(() =>
            CheckpointImage.Read(chunks.SkipLast(1).Select(c => (ReadOnlyMemory<byte>)c).ToList(), state.LastRound!.Value));
        Assert.Matches(@"checkpoint image: page \d+ claims 4096 bytes at offset \d+, \d+ left", error.Message);
    }

    [Fact]
    public void An_image_of_another_round_is_refused()
    {
        var state = StateFrom(4, 2);
        var (chunks, _, _) = CheckpointImage.Write(state, 1 << 20);
        var error = Assert.Throws<CorruptCheckpointException>(() =>
            CheckpointImage.Read(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToList(), 99));
        Assert.Contains("says round 2, its manifest says 99", error.Message);
    }
}
