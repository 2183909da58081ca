using System.Runtime.Serialization;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using Akka.Actor;
using Akka.Serialization;

namespace ActorMigrate.Actors.Tests.Durability;

public sealed class StableMemorySerializerTests : IAsyncLifetime
{
    private ActorSystem system = null!;

    public Task InitializeAsync()
    {
        system = ActorSystem.Create("serializer", ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => system.Terminate();

    private SerializerWithStringManifest Serializer => Assert.IsType<StableMemorySerializer>(
        system.Serialization.FindSerializerForType(typeof(RoundPersisted)));

    private static RoundPersisted Round(bool heap) => new(
        42, 3, StableMemoryReset: true,
        [new PageRun(0, 0, Filled(1)), new PageRun(47, 64, Enumerable.Repeat((byte)2, 16).ToArray())],
        new byte[] { 9, 8, 7 },
        heap ? new byte[] { 1, 2, 3, 4, 5 } : (ReadOnlyMemory<byte>?)null);

    private static byte[] Filled(byte value) => Enumerable.Repeat(value, PageDelta.PageSize).ToArray();

    private object RoundTrip(object value)
    {
        var serializer = system.Serialization.FindSerializerFor(value);
        Assert.IsType<StableMemorySerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, value);
        return system.Serialization.Deserialize(serializer.ToBinary(value), serializer.Identifier, manifest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_field_of_a_round_survives_the_hocon_bound_serializer(bool heap)
    {
        var round = Round(heap);
        var back = Assert.IsType<RoundPersisted>(RoundTrip(round));
        Assert.Equal((round.Round, round.StableMemorySizeInPages, round.StableMemoryReset), (back.Round, back.StableMemorySizeInPages, back.StableMemoryReset));
        Assert.Equal(round.ChangedRuns.Select(r => (r.PageIndex, r.Offset, r.Bytes.ToArray())), back.ChangedRuns.Select(r => (r.PageIndex, r.Offset, r.Bytes.ToArray())));
        Assert.Equal(round.Metadata.ToArray(), back.Metadata.ToArray());
        Assert.Equal(round.HeapImage?.ToArray(), back.HeapImage?.ToArray());
        Assert.Null(back.HeapDelta);
    }

    [Fact]
    public void A_round_with_a_heap_delta_sets_flag_bit_2_and_reads_back_with_the_delta_not_an_image()
    {
        var round = Round(heap: false) with { HeapDelta = new byte[] { 6, 5, 4 } };

        var bytes = Serializer.ToBinary(round);
        var back = Assert.IsType<RoundPersisted>(Serializer.FromBinary(bytes, "R"));

        Assert.Equal(1 | 4, bytes[17]);
        Assert.Null(back.HeapImage);
        Assert.Equal(new byte[] { 6, 5, 4 }, back.HeapDelta?.ToArray());
        Assert.Throws<SerializationException>(() => Serializer.ToBinary(round with { HeapImage = new byte[] { 1 } }));
        var both = bytes.ToArray();
        both[17] |= 2;
        Assert.Contains("unknown flags 0x07", Assert.Throws<SerializationException>(() => Serializer.FromBinary(both, "R")).Message);
    }

    /// <summary>A round in layout version 1 or 2 (whole pages), written by hand from the table those versions had.</summary>
    private static byte[] WholePageRound(byte version, byte flags, byte[]? heap, params (ulong Index, byte Fill)[] pages)
    {
        var bytes = new List<byte> { version };
        bytes.AddRange(BitConverter.GetBytes(42L));
        bytes.AddRange(BitConverter.GetBytes(3L));
        bytes.Add(flags);
        bytes.AddRange(BitConverter.GetBytes(3));
        bytes.AddRange(new byte[] { 9, 8, 7 });
        if (heap is not null)
        {
            bytes.AddRange(BitConverter.GetBytes(heap.Length));
            bytes.AddRange(heap);
        }

        bytes.AddRange(BitConverter.GetBytes(pages.Length));
        foreach (var (index, fill) in pages)
        {
            bytes.AddRange(BitConverter.GetBytes(index));
            bytes.AddRange(Filled(fill));
        }

        return [.. bytes];
    }

    [Fact]
    public void A_write_between_rounds_sets_flag_bit_3_which_older_layouts_may_not_claim()
    {
        var round = Round(heap: false) with { BetweenRounds = true };

        var bytes = Serializer.ToBinary(round);

        Assert.Equal(1 | 8, bytes[17]);
        Assert.True(Assert.IsType<RoundPersisted>(Serializer.FromBinary(bytes, "R")).BetweenRounds);
        Assert.False(Assert.IsType<RoundPersisted>(RoundTrip(Round(heap: false))).BetweenRounds);
        var version2 = WholePageRound(2, 8, null, (0, 1));
        Assert.Contains("unknown flags 0x08", Assert.Throws<SerializationException>(() => Serializer.FromBinary(version2, "R")).Message);
    }

    [Fact]
    public void A_version_1_round_journaled_before_heap_deltas_still_reads_and_may_not_claim_a_delta()
    {
        var bytes = WholePageRound(1, 1 | 2, [1, 2, 3, 4, 5], (0, 1), (47, 2));

        var back = Assert.IsType<RoundPersisted>(Serializer.FromBinary(bytes, "R"));

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, back.HeapImage?.ToArray());
        Assert.Equal([(0UL, 0), (47UL, 0)], back.ChangedRuns.Select(r => (r.PageIndex, r.Offset)));
        Assert.Equal([Filled(1), Filled(2)], back.ChangedRuns.Select(r => r.Bytes.ToArray()));
        bytes[17] = 1 | 4;
        Assert.Contains("unknown flags", Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "R")).Message);
    }

    [Fact]
    public void A_version_2_round_of_whole_pages_reads_as_one_run_per_page()
    {
        var back = Assert.IsType<RoundPersisted>(Serializer.FromBinary(WholePageRound(2, 4, [6, 5, 4], (5, 3)), "R"));

        Assert.Equal(new byte[] { 6, 5, 4 }, back.HeapDelta?.ToArray());
        var run = Assert.Single(back.ChangedRuns);
        Assert.Equal((5UL, 0), (run.PageIndex, run.Offset));
        Assert.Equal(Filled(3), run.Bytes.ToArray());
    }

    [Fact]
    public void A_run_that_leaves_its_page_is_refused_when_written_and_when_read()
    {
        var outside = Round(heap: false) with { ChangedRuns = [new PageRun(7, 4090, new byte[16])] };
        Assert.Contains("not within a 4096-byte page", Assert.Throws<SerializationException>(() => Serializer.ToBinary(outside)).Message);

        var bytes = Serializer.ToBinary(Round(heap: false) with { ChangedRuns = [new PageRun(7, 4000, new byte[16])] });
        BitConverter.GetBytes((ushort)4090).CopyTo(bytes, 29 + 8); // the run's offset
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "R"));
        Assert.Contains("run #0 of page 7 at offset 4090 with 16 bytes is not within a 4096-byte page at offset 41", error.Message);
    }

    [Fact]
    public void Chunks_and_manifests_survive_the_serializer()
    {
        var chunk = Assert.IsType<CheckpointChunk>(RoundTrip(new CheckpointChunk(7, 2, 3, new byte[] { 5, 6 })));
        Assert.Equal((7L, 2, 3), (chunk.Round, chunk.Index, chunk.Count));
        Assert.Equal(new byte[] { 5, 6 }, chunk.Bytes.ToArray());
        var digest = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var manifest = Assert.IsType<CheckpointManifest>(RoundTrip(new CheckpointManifest(7, 11, 3, 40_000, digest)));
        Assert.Equal((7L, 11L, 3, 40_000L), (manifest.Round, manifest.FirstChunkSequenceNr, manifest.ChunkCount, manifest.ImageLength));
        Assert.Equal(digest, manifest.ImageSha256.ToArray());
    }

    [Fact]
    public void A_manifest_names_its_round_s_sequence_number_and_a_layout_1_manifest_puts_it_right_before_the_first_chunk()
    {
        var digest = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var bytes = Serializer.ToBinary(new CheckpointManifest(7, 11, 3, 40_000, digest, RoundSequenceNr: 8));
        Assert.Equal(69, bytes.Length);
        Assert.Equal(8L, Assert.IsType<CheckpointManifest>(Serializer.FromBinary(bytes, "M")).ImagedRoundSequenceNr);

        var layout1 = bytes[..61];
        layout1[0] = 1;
        var old = Assert.IsType<CheckpointManifest>(Serializer.FromBinary(layout1, "M"));
        Assert.Equal((7L, 11L, 3, 40_000L, 10L), (old.Round, old.FirstChunkSequenceNr, old.ChunkCount, old.ImageLength, old.ImagedRoundSequenceNr));
        Assert.Equal(digest, old.ImageSha256.ToArray());
    }

    [Fact]
    public void A_round_event_is_laid_out_as_the_table_in_the_serializer_says()
    {
        var bytes = Serializer.ToBinary(Round(heap: true));
        Assert.Equal(3, bytes[0]);
        Assert.Equal(42L, BitConverter.ToInt64(bytes, 1));
        Assert.Equal(3L, BitConverter.ToInt64(bytes, 9));
        Assert.Equal(3, bytes[17]); // reset | heap image
        Assert.Equal(3, BitConverter.ToInt32(bytes, 18));
        Assert.Equal(5, BitConverter.ToInt32(bytes, 25));
        Assert.Equal(2, BitConverter.ToInt32(bytes, 34));
        Assert.Equal((0L, (ushort)0, (ushort)PageDelta.PageSize), (BitConverter.ToInt64(bytes, 38), BitConverter.ToUInt16(bytes, 46), BitConverter.ToUInt16(bytes, 48)));
        var second = 50 + PageDelta.PageSize;
        Assert.Equal((47L, (ushort)64, (ushort)16), (BitConverter.ToInt64(bytes, second), BitConverter.ToUInt16(bytes, second + 8), BitConverter.ToUInt16(bytes, second + 10)));
        Assert.Equal(second + 12 + 16, bytes.Length);
    }

    [Fact]
    public void An_unknown_manifest_is_an_error_that_names_it()
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary([1, 2, 3], "Q"));
        Assert.Contains("does not know manifest 'Q'", error.Message);
    }

    [Fact]
    public void A_truncated_or_padded_round_is_an_error_naming_the_field_and_offset()
    {
        var bytes = Serializer.ToBinary(Round(heap: false));
        var truncated = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..^10], "R"));
        Assert.Contains("corrupt RoundPersisted", truncated.Message);
        Assert.Contains("run #1 of page 47 needs 16 bytes, 6 left at offset", truncated.Message);
        var padded = Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], "R"));
        Assert.Contains("1 bytes left over", padded.Message);
        var version = Assert.Throws<SerializationException>(() => Serializer.FromBinary([4, .. bytes[1..]], "R"));
        Assert.Contains("layout version 4, this build reads versions 1..3", version.Message);
    }

    [Fact]
    public void A_canister_directory_event_is_journaled_binary_and_reads_back_equal()
    {
        var registered = new Subnet.CanisterRegistered("00001-12345-cai", ["controller-a", "contrôleur-b"]);

        var back = Assert.IsType<Subnet.CanisterRegistered>(RoundTrip(registered));

        Assert.Equal(registered.CanisterId, back.CanisterId);
        Assert.Equal(registered.Controllers, back.Controllers);
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(Serializer.ToBinary(registered)[..^2], "D"));
    }
}
