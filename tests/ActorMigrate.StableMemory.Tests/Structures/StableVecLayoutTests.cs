using static ActorMigrate.StableMemory.Tests.Structures.StructureBytes;

namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>The StableVec layout, checked against the bytes the layout table documents.</summary>
public sealed class StableVecLayoutTests
{
    [Fact]
    public void A_new_vec_of_u64_writes_magic_version_zero_length_and_a_fixed_8_byte_bound_in_one_page()
    {
        var memory = new SparseMemory();
        StableVec<ulong>.New(memory, Storable.U64);

        Assert.Equal(1UL, memory.Size);
        Assert.Equal(Hex("535643 01 0000000000000000 08000000 01"), Read(memory, 0, 17));
        Assert.Equal(new byte[47], Read(memory, 17, 47));
    }

    [Fact]
    public void A_u64_element_fills_an_8_byte_slot_big_endian_from_offset_64_without_a_length_prefix()
    {
        var vec = StableVec<ulong>.New(new SparseMemory(), Storable.U64);
        vec.Push(0x0102030405060708);
        vec.Push(42);

        Assert.Equal(Hex("0200000000000000"), Read(vec.Memory, 4, 8));
        Assert.Equal(Hex("0102030405060708 000000000000002a"), Read(vec.Memory, 64, 16));
    }

    [Theory]
    [InlineData(10u, 1, "03")]       // max size ≤ 255: 1-byte prefix
    [InlineData(300u, 2, "0300")]    // ≤ 65,535: 2 bytes, little-endian
    [InlineData(70_000u, 4, "03000000")]
    public void A_bounded_element_slot_is_its_max_size_plus_a_little_endian_length_prefix(uint bound, int prefix, string prefixHex)
    {
        var vec = StableVec<Blob>.New(new SparseMemory(), Storable.Blob(bound));
        vec.Push(Blob.FromHex("aabbcc"));
        vec.Push(Blob.FromHex("dd"));

        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, bound);
        Assert.Equal([.. Hex("535643 01 0200000000000000"), .. bytes, 0], Read(vec.Memory, 0, 17));
        Assert.Equal([.. Hex(prefixHex), .. Hex("aabbcc")], Read(vec.Memory, 64, prefix + 3));
        var second = 64 + (ulong)(bound + (uint)prefix);
        Assert.Equal(1, Read(vec.Memory, second, prefix)[0]);
        Assert.Equal(Hex("dd"), Read(vec.Memory, second + (ulong)prefix, 1));
    }

    [Fact]
    public void A_vec_written_by_hand_in_the_documented_layout_is_read_back()
    {
        var memory = PageWith(
            "535643 01 0300000000000000 08000000 01" + new string('0', 94) +
            "0000000000000001 ffffffffffffffff 0000000000000100 0000000000000abc");

        var vec = StableVec<ulong>.Init(memory, Storable.U64);

        Assert.Equal([1UL, ulong.MaxValue, 256UL], vec.ToArray());
    }

    [Fact]
    public void Pop_and_clear_change_only_the_length_and_leave_the_slots_as_they_were()
    {
        var vec = StableVec<ulong>.New(new SparseMemory(), Storable.U64);
        vec.Push(7);
        vec.Push(8);
        var slots = Read(vec.Memory, 64, 16);

        Assert.True(vec.TryPop(out var popped));
        Assert.Equal(8UL, popped);
        Assert.Equal(Hex("0100000000000000"), Read(vec.Memory, 4, 8));
        vec.Clear();
        Assert.Equal(new byte[8], Read(vec.Memory, 4, 8));
        Assert.Equal(slots, Read(vec.Memory, 64, 16));
        Assert.False(vec.TryGet(0, out _));
    }

    [Fact]
    public void Init_on_an_empty_memory_creates_the_vec_and_on_a_vec_keeps_it()
    {
        var memory = new SparseMemory();
        StableVec<ulong>.Init(memory, Storable.U64).Push(5);

        Assert.Equal([5UL], StableVec<ulong>.Init(memory, Storable.U64).ToArray());
        Assert.Empty(StableVec<ulong>.New(memory, Storable.U64));
    }

    [Fact]
    public void A_push_grows_the_memory_only_when_the_element_would_end_beyond_it()
    {
        var vec = StableVec<ulong>.New(new SparseMemory(), Storable.U64);
        for (var i = 0; i < 8184; i++)
        {
            vec.Push((ulong)i); // (65,536 − 64) / 8 = 8,184 elements fill the first page exactly
        }

        Assert.Equal(1UL, vec.Memory.Size);
        vec.Push(1);
        Assert.Equal(2UL, vec.Memory.Size);
    }
}
