namespace ActorMigrate.StableMemory.Tests;

public class SparseMemoryTests
{
    [Fact]
    public void Grow_returns_the_previous_size_and_a_refused_grow_returns_minus_one_and_changes_nothing()
    {
        var memory = new SparseMemory(maxPages: 10);
        Assert.Equal(0, memory.Grow(3));
        Assert.Equal(3, memory.Grow(7));
        Assert.Equal(-1, memory.Grow(1));
        Assert.Equal(10UL, memory.Size);
    }

    [Fact]
    public void Reading_or_writing_past_the_size_throws_the_out_of_bounds_exception()
    {
        var memory = new SparseMemory(initialPages: 1);
        var e = Assert.Throws<StableMemoryOutOfBoundsException>(() => memory.Write(65_535, new byte[2]));
        Assert.Equal(65_535UL, e.Offset);
        Assert.Throws<StableMemoryOutOfBoundsException>(() => memory.Read(ulong.MaxValue, new byte[2]));
    }

    [Fact]
    public void A_400_GiB_memory_allocates_only_the_pages_written()
    {
        var memory = new SparseMemory();
        Assert.Equal(0, memory.Grow(400UL * 1024 * 16));
        memory.Write(WasmPage.ToBytes(400UL * 1024 * 16) - 3, [1, 2, 3]);
        memory.Write(65_530, new byte[12]);
        Assert.Equal(3, memory.AllocatedPages);
        var tail = new byte[4];
        memory.Read(WasmPage.ToBytes(400UL * 1024 * 16) - 4, tail);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, tail);
    }

    [Fact]
    public void A_clone_has_the_same_bytes_size_and_pages_and_neither_sees_the_others_writes()
    {
        var memory = new SparseMemory(maxPages: 5_000, initialPages: 3_000);
        memory.Write(7, [1, 2, 3]);
        memory.Write(WasmPage.ToBytes(2_999) + 10, [4]);

        var clone = memory.Clone(memory.MaxPages);
        clone.Write(7, [9]);
        memory.Write(WasmPage.ToBytes(2_999) + 10, [8]);

        Assert.Equal((memory.Size, memory.MaxPages, memory.AllocatedPages), (clone.Size, clone.MaxPages, clone.AllocatedPages));
        Assert.Equal(new byte[] { 9, 2, 3 }, Bytes(clone, 7, 3));
        Assert.Equal(new byte[] { 1, 2, 3 }, Bytes(memory, 7, 3));
        Assert.Equal(new byte[] { 4 }, Bytes(clone, WasmPage.ToBytes(2_999) + 10, 1));
        Assert.Equal(new byte[] { 8 }, Bytes(memory, WasmPage.ToBytes(2_999) + 10, 1));
    }

    [Fact]
    public void An_exchanged_block_is_the_memory_content_and_the_previous_block_is_handed_back()
    {
        var memory = new SparseMemory(initialPages: 2);
        Assert.Null(memory.ExchangeBlock(4096, Enumerable.Repeat((byte)7, 4096).ToArray()));
        memory.Write(8192 - 2, [1, 2, 3, 4]); // straddles the exchanged block and the next one

        var previous = memory.ExchangeBlock(4096, new byte[4096]);

        Assert.Equal(new byte[] { 7, 7, 1, 2 }, previous![^4..]);
        Assert.Equal(new byte[] { 0, 0, 3, 4 }, Bytes(memory, 8192 - 2, 4));
        Assert.Equal(1, memory.AllocatedPages);
        Assert.Throws<ArgumentException>(() => memory.ExchangeBlock(100, new byte[4096]));
        Assert.Throws<ArgumentException>(() => memory.ExchangeBlock(0, new byte[100]));
        Assert.Throws<StableMemoryOutOfBoundsException>(() => memory.ExchangeBlock(WasmPage.ToBytes(2), new byte[4096]));
    }

    private static byte[] Bytes(IMemory memory, ulong offset, int count)
    {
        var bytes = new byte[count];
        memory.Read(offset, bytes);
        return bytes;
    }
}
