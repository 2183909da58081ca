using static ActorMigrate.StableMemory.Tests.Structures.StructureBytes;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class StableLogLayoutTests
{
    [Fact]
    public void A_new_log_writes_GLI_and_GLD_headers_and_a_zero_count_at_index_offset_32()
    {
        var index = new SparseMemory();
        var data = new SparseMemory();
        StableLog<byte[]>.New(index, data, Storable.Bytes);

        Assert.Equal((1UL, 1UL), (index.Size, data.Size));
        Assert.Equal([.. Hex("474c49 01"), .. new byte[28], .. new byte[8]], Read(index, 0, 40));
        Assert.Equal([.. Hex("474c44 01"), .. new byte[28]], Read(data, 0, 32));
    }

    [Fact]
    public void Entries_are_packed_from_data_offset_32_and_the_index_records_where_each_one_ends()
    {
        var log = StableLog<byte[]>.New(new SparseMemory(), new SparseMemory(), Storable.Bytes);

        Assert.Equal(0UL, log.Append(Hex("aabbcc")));
        Assert.Equal(1UL, log.Append([]));
        Assert.Equal(2UL, log.Append(Hex("dd")));

        Assert.Equal(Hex("0300000000000000 0300000000000000 0300000000000000 0400000000000000"), Read(log.IndexMemory, 32, 32));
        Assert.Equal(Hex("aabbccdd"), Read(log.DataMemory, 32, 4));
        Assert.Equal(4UL, log.LogSizeInBytes);
    }

    [Fact]
    public void A_log_written_by_hand_in_the_documented_layout_is_read_back()
    {
        var index = PageWith("474c49 01" + new string('0', 56) + "0200000000000000 0100000000000000 0300000000000000");
        var data = PageWith("474c44 01" + new string('0', 56) + "01 0203");

        var log = StableLog<byte[]>.Init(index, data, Storable.Bytes);

        Assert.Equal(["01", "0203"], log.Select(Convert.ToHexStringLower));
    }

    [Fact]
    public void Init_formats_both_memories_when_the_data_memory_holds_no_log_as_rust_does()
    {
        var index = PageWith("ffffff");
        var data = PageWith("535643 01");

        var log = StableLog<byte[]>.Init(index, data, Storable.Bytes);

        Assert.Equal(0UL, log.Count);
        Assert.Equal(Hex("474c49 01"), Read(index, 0, 4));
        Assert.Equal(Hex("474c44 01"), Read(data, 0, 4));
    }

    [Fact]
    public void Clear_resets_the_count_and_the_next_entry_is_written_at_the_start_of_the_data_again()
    {
        var log = StableLog<byte[]>.New(new SparseMemory(), new SparseMemory(), Storable.Bytes);
        log.Append(Hex("aabb"));

        log.Clear();
        log.Append(Hex("cc"));

        Assert.Equal(Hex("ccbb"), Read(log.DataMemory, 32, 2));
        Assert.Equal(["cc"], log.Select(Convert.ToHexStringLower));
    }

    [Fact]
    public void Appends_grow_each_memory_only_when_its_bytes_would_end_beyond_it()
    {
        var log = StableLog<byte[]>.New(new SparseMemory(), new SparseMemory(), Storable.Bytes);

        log.Append(new byte[65_536 - 32]);
        Assert.Equal((1UL, 1UL), (log.IndexMemory.Size, log.DataMemory.Size));
        log.Append([1]);
        Assert.Equal((1UL, 2UL), (log.IndexMemory.Size, log.DataMemory.Size));
    }
}
