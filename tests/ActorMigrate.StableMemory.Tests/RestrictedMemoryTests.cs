namespace ActorMigrate.StableMemory.Tests;

public class RestrictedMemoryTests
{
    [Fact]
    public void Its_size_is_the_part_of_the_window_the_underlying_memory_has()
    {
        var inner = new SparseMemory(initialPages: 3);
        Assert.Equal(1UL, new RestrictedMemory(inner, firstPage: 2, maxPages: 5).Size);
        Assert.Equal(0UL, new RestrictedMemory(inner, firstPage: 4, maxPages: 5).Size);
        Assert.Equal(2UL, new RestrictedMemory(inner, firstPage: 0, maxPages: 2).Size);
    }

    [Fact]
    public void Growing_grows_the_underlying_memory_up_to_the_window_and_returns_the_previous_size()
    {
        var inner = new SparseMemory(initialPages: 1);
        var window = new RestrictedMemory(inner, firstPage: 3, maxPages: 4);

        Assert.Equal(0, window.Grow(2));
        Assert.Equal(5UL, inner.Size); // the gap before the window is grown too
        Assert.Equal(2, window.Grow(2));
        Assert.Equal(-1, window.Grow(1));
        Assert.Equal(4UL, window.Size);
        Assert.Equal(7UL, inner.Size);
    }

    [Fact]
    public void A_grow_the_underlying_memory_refuses_returns_minus_one_and_changes_nothing()
    {
        var inner = new SparseMemory(maxPages: 4);
        var window = new RestrictedMemory(inner, firstPage: 2, maxPages: 10);
        Assert.Equal(-1, window.Grow(3));
        Assert.Equal(0UL, inner.Size);
        Assert.Equal(0UL, window.Size);
    }

    [Fact]
    public void Offsets_are_shifted_by_the_first_page_and_accesses_outside_the_window_throw()
    {
        var inner = new SparseMemory(initialPages: 4);
        var window = new RestrictedMemory(inner, firstPage: 1, maxPages: 2);

        window.Write(65_535, [7, 8]);
        var back = new byte[2];
        inner.Read(2 * 65_536 - 1, back);
        Assert.Equal(new byte[] { 7, 8 }, back);

        Assert.Throws<StableMemoryOutOfBoundsException>(() => window.Write(2 * 65_536 - 1, new byte[2]));
        Assert.Throws<StableMemoryOutOfBoundsException>(() => window.Read(2 * 65_536, new byte[1]));
    }
}
