using static ActorMigrate.StableMemory.Tests.Structures.StructureBytes;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class StableCellLayoutTests
{
    [Fact]
    public void A_new_cell_writes_magic_version_little_endian_length_and_the_value()
    {
        var memory = new SparseMemory();
        StableCell<byte[]>.New(memory, Storable.Bytes, [1, 2, 3]);

        Assert.Equal(1UL, memory.Size);
        Assert.Equal(Hex("53434c 01 03000000 010203"), Read(memory, 0, 11));
    }

    [Fact]
    public void Setting_a_shorter_value_rewrites_the_length_and_leaves_the_old_tail_behind()
    {
        var cell = StableCell<byte[]>.New(new SparseMemory(), Storable.Bytes, [1, 2, 3, 4]);

        var previous = cell.Set([9]);

        Assert.Equal([1, 2, 3, 4], previous);
        Assert.Equal(Hex("53434c 01 01000000 09020304"), Read(cell.Memory, 0, 12));
    }

    [Fact]
    public void A_u64_cell_holds_the_value_big_endian_after_an_8_byte_length()
    {
        var cell = StableCell<ulong>.New(new SparseMemory(), Storable.U64, 0x0a0b);

        Assert.Equal(Hex("53434c 01 08000000 0000000000000a0b"), Read(cell.Memory, 0, 16));
    }

    [Fact]
    public void A_cell_written_by_hand_in_the_documented_layout_is_read_and_its_default_ignored()
    {
        var memory = PageWith("53434c 01 02000000 beef 77");

        var cell = StableCell<byte[]>.Init(memory, Storable.Bytes, [0]);

        Assert.Equal(Hex("beef"), cell.Value);
        Assert.Equal(Hex("53434c 01 02000000 beef 77"), Read(memory, 0, 11)); // opening wrote nothing
    }

    [Fact]
    public void Init_on_an_empty_memory_or_on_foreign_bytes_writes_a_new_cell_with_the_default_as_rust_does()
    {
        var empty = new SparseMemory();
        Assert.Equal([7], StableCell<byte[]>.Init(empty, Storable.Bytes, [7]).Value);
        Assert.Equal(Hex("53434c 01 01000000 07"), Read(empty, 0, 9));

        var foreign = PageWith("535643 01 0000000000000000");
        Assert.Equal([7], StableCell<byte[]>.Init(foreign, Storable.Bytes, [7]).Value);
        Assert.Equal(Hex("53434c 01 01000000 07"), Read(foreign, 0, 9));
    }

    [Fact]
    public void A_value_that_no_longer_fits_grows_the_memory_by_just_enough_pages()
    {
        var cell = StableCell<byte[]>.New(new SparseMemory(), Storable.Bytes, []);

        cell.Set(new byte[65_528]); // 8 + 65,528 = exactly one page
        Assert.Equal(1UL, cell.Memory.Size);
        cell.Set(new byte[65_529]);
        Assert.Equal(2UL, cell.Memory.Size);
        cell.Set(new byte[200_000]);
        Assert.Equal(4UL, cell.Memory.Size);
    }
}
