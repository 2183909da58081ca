namespace ActorMigrate.StableMemory.Tests.IO;

using Manager = ActorMigrate.StableMemory.MemoryManager;

public class StableWriterReaderTests
{
    [Fact]
    public void The_writer_grows_the_memory_by_just_the_pages_each_write_needs()
    {
        var memory = new SparseMemory();
        var writer = new StableWriter(memory);

        writer.Write(new byte[10]);
        Assert.Equal(1UL, memory.Size);
        writer.Write(new byte[65_526]);
        Assert.Equal(1UL, memory.Size);
        writer.Write([1]);
        Assert.Equal(2UL, memory.Size);
        Assert.Equal(65_537UL, writer.Position);
    }

    [Fact]
    public void What_the_writer_writes_across_buckets_the_reader_reads_back_in_order()
    {
        var manager = Manager.Init(new SparseMemory(), bucketSizeInPages: 1);
        manager.Get(0).Grow(1); // interleave another memory's bucket
        var blob = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();

        var writer = new StableWriter(manager.Get(1), offset: 3);
        writer.WriteU32(0xDEADBEEF);
        writer.WriteLengthPrefixed(blob);
        writer.WriteU64(42);
        manager.Get(0).Grow(1);

        var reader = new StableReader(manager.Get(1), offset: 3);
        Assert.Equal(0xDEADBEEFu, reader.ReadU32());
        Assert.Equal(blob, reader.ReadLengthPrefixed());
        Assert.Equal(42UL, reader.ReadU64());
        Assert.Equal(writer.Position, reader.Position);
    }

    [Fact]
    public void A_length_prefixed_blob_is_a_4_byte_little_endian_length_then_the_bytes_as_legacy_pre_upgrade_wrote_it()
    {
        var memory = new SparseMemory();
        new StableWriter(memory).WriteLengthPrefixed([0xAA, 0xBB, 0xCC]);

        var bytes = new byte[8];
        memory.Read(0, bytes);
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0xAA, 0xBB, 0xCC, 0 }, bytes);
    }

    [Fact]
    public void A_read_past_the_end_throws_and_leaves_the_position_unchanged()
    {
        var memory = new SparseMemory(initialPages: 1);
        var reader = new StableReader(memory, offset: 65_530);

        Assert.Throws<StableMemoryOutOfBoundsException>(() => reader.ReadU64());
        Assert.Equal(65_530UL, reader.Position);
        Assert.Equal(6UL, reader.Remaining);
    }

    [Fact]
    public void A_length_prefix_longer_than_the_memory_is_reported_as_corrupt_with_its_offset()
    {
        var memory = new SparseMemory();
        new StableWriter(memory, offset: 16).WriteU32(1_000_000);

        var reader = new StableReader(memory, offset: 16);
        var e = Assert.Throws<CorruptMemoryException>(() => reader.ReadLengthPrefixed());
        Assert.Contains("offset 16", e.Message);
        Assert.Equal(16UL, reader.Position);
    }

    [Fact]
    public void A_write_the_memory_cannot_grow_for_throws_GrowFailed_and_writes_nothing()
    {
        var memory = new SparseMemory(maxPages: 1);
        var writer = new StableWriter(memory, offset: 65_530);

        Assert.Throws<GrowFailedException>(() => writer.Write(new byte[10]));
        Assert.Equal(65_530UL, writer.Position);
        Assert.Equal(0UL, memory.Size);
    }
}
