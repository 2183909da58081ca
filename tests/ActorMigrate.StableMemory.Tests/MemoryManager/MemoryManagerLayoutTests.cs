using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.Tests.MemoryManager;

using Manager = ActorMigrate.StableMemory.MemoryManager;

/// <summary>The layout version 1 bytes, built from the documented offsets (no conformance images needed).</summary>
public class MemoryManagerLayoutTests
{
    private const int TableOffset = 2080;

    [Fact]
    public void Init_on_an_empty_memory_writes_magic_version_bucket_size_zero_sizes_and_an_all_free_bucket_table()
    {
        var memory = new SparseMemory();
        Manager.Init(memory, bucketSizeInPages: 0x0102);

        var bytes = memory.ToArray();
        Assert.Equal(65_536, bytes.Length);
        Assert.Equal("MGR"u8.ToArray(), bytes[..3]);
        Assert.Equal(1, bytes[3]);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x0102, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.All(bytes[8..TableOffset], b => Assert.Equal(0, b));
        Assert.All(bytes[TableOffset..(TableOffset + 32_768)], b => Assert.Equal(0xFF, b));
        Assert.All(bytes[(TableOffset + 32_768)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Buckets_are_handed_out_in_grow_order_recorded_in_the_table_and_counted_in_the_header()
    {
        var memory = new SparseMemory();
        var manager = Manager.Init(memory, bucketSizeInPages: 2);

        Assert.Equal(0, manager.Get(3).Grow(3));   // buckets 0, 1
        Assert.Equal(0, manager.Get(0).Grow(1));   // bucket 2
        Assert.Equal(3, manager.Get(3).Grow(1));   // still bucket 1: 4 pages fit 2 buckets
        Assert.Equal(4, manager.Get(3).Grow(1));   // bucket 3

        var bytes = memory.ToArray();
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(new byte[] { 3, 3, 0, 3, 0xFF }, bytes[TableOffset..(TableOffset + 5)]);
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40 + 0 * 8)));
        Assert.Equal(5UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40 + 3 * 8)));
        Assert.Equal(1UL + 4 * 2, memory.Size);
        Assert.Equal(new ushort[] { 0, 1, 3 }, manager.BucketsOf(3));
    }

    [Fact]
    public void A_write_across_a_bucket_boundary_lands_at_page_one_plus_bucket_times_bucket_size()
    {
        var memory = new SparseMemory();
        var manager = Manager.Init(memory, bucketSizeInPages: 1);
        var m1 = manager.Get(1);
        var m2 = manager.Get(2);
        m1.Grow(1); // bucket 0 (page 1)
        m2.Grow(1); // bucket 1 (page 2)
        m1.Grow(1); // bucket 2 (page 3)

        m1.Write(65_534, [1, 2, 3, 4]);

        var bytes = memory.ToArray();
        Assert.Equal(new byte[] { 1, 2 }, bytes[(2 * 65_536 - 2)..(2 * 65_536)]);
        Assert.Equal(new byte[] { 3, 4 }, bytes[(3 * 65_536)..(3 * 65_536 + 2)]);
        Assert.All(bytes[(2 * 65_536)..(3 * 65_536)], b => Assert.Equal(0, b));
        var back = new byte[4];
        m1.Read(65_534, back);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, back);
    }

    [Fact]
    public void Init_formats_data_without_the_magic_and_keeps_every_byte_after_the_bucket_table()
    {
        var memory = new SparseMemory(initialPages: 2);
        var old = Enumerable.Range(0, 2 * 65_536).Select(i => (byte)(i * 7 + 1)).ToArray();
        memory.Write(0, old);

        var manager = Manager.Init(memory, bucketSizeInPages: 1);

        var bytes = memory.ToArray();
        Assert.Equal("MGR"u8.ToArray(), bytes[..3]);
        Assert.All(bytes[TableOffset..(TableOffset + 32_768)], b => Assert.Equal(0xFF, b));
        Assert.Equal(old[(TableOffset + 32_768)..], bytes[(TableOffset + 32_768)..]);

        // The old page 1 becomes bucket 0 as it is: a new memory sees the old bytes, not zeros.
        manager.Get(0).Grow(1);
        var first = new byte[4];
        manager.Get(0).Read(0, first);
        Assert.Equal(old[65_536..65_540], first);
        Assert.Equal(2UL, memory.Size);
    }

    [Fact]
    public void Init_over_an_existing_manager_loads_it_with_its_own_bucket_size_and_contents()
    {
        var memory = new SparseMemory();
        var first = Manager.Init(memory, bucketSizeInPages: 3);
        first.Get(7).Grow(4);
        first.Get(7).Write(3 * 65_536 - 1, [9, 8]);

        var second = Manager.Init(memory, bucketSizeInPages: 128);

        Assert.Equal(3, second.BucketSizeInPages);
        Assert.Equal(4UL, second.Get(7).Size);
        var back = new byte[2];
        second.Get(7).Read(3 * 65_536 - 1, back);
        Assert.Equal(new byte[] { 9, 8 }, back);
    }

    [Fact]
    public void Grow_returns_minus_one_and_changes_nothing_when_the_32768_buckets_run_out()
    {
        var memory = new SparseMemory();
        var manager = Manager.Init(memory, bucketSizeInPages: 1);
        Assert.Equal(0, manager.Get(0).Grow(32_767));
        var before = FirstPage(memory);

        Assert.Equal(-1, manager.Get(1).Grow(2));
        Assert.Equal(0, manager.Get(1).Grow(1));
        Assert.Equal(-1, manager.Get(0).Grow(1));

        Assert.Equal(32_767UL, manager.Get(0).Size);
        Assert.Equal(1UL, manager.Get(1).Size);
        Assert.Equal(32_768, manager.AllocatedBuckets);
        Assert.Equal(before[TableOffset..(TableOffset + 32_767)], FirstPage(memory)[TableOffset..(TableOffset + 32_767)]);
    }

    private static byte[] FirstPage(IMemory memory)
    {
        var page = new byte[65_536];
        memory.Read(0, page);
        return page;
    }

    [Fact]
    public void Grow_returns_minus_one_and_changes_nothing_when_the_underlying_memory_refuses()
    {
        var memory = new SparseMemory(maxPages: 3);
        var manager = Manager.Init(memory, bucketSizeInPages: 1);
        Assert.Equal(0, manager.Get(0).Grow(2));

        Assert.Equal(-1, manager.Get(4).Grow(1));

        Assert.Equal(0UL, manager.Get(4).Size);
        Assert.Equal(2, manager.AllocatedBuckets);
        Assert.Equal(2, Manager.Load(memory).AllocatedBuckets);
    }

    [Fact]
    public void Reads_and_writes_beyond_a_virtual_memory_throw_even_inside_its_last_bucket()
    {
        var manager = Manager.Init(new SparseMemory(), bucketSizeInPages: 4);
        var memory = manager.Get(0);
        memory.Grow(1);

        Assert.Throws<StableMemoryOutOfBoundsException>(() => memory.Write(65_535, new byte[2]));
        Assert.Throws<StableMemoryOutOfBoundsException>(() => memory.Read(65_536, new byte[1]));
        Assert.Throws<StableMemoryOutOfBoundsException>(() => manager.Get(1).Read(0, new byte[1]));
        memory.Read(65_536, []);
    }

    [Fact]
    public void Load_refuses_a_memory_without_the_magic_and_leaves_it_untouched()
    {
        var memory = new SparseMemory(initialPages: 1);
        memory.Write(0, [1, 2, 3, 4]);

        var e = Assert.Throws<CorruptMemoryException>(() => Manager.Load(memory));
        Assert.Contains("MGR", e.Message);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, memory.ToArray()[..4]);
    }

    [Fact]
    public void Memory_ids_stop_at_254_because_255_marks_a_free_bucket()
    {
        var manager = Manager.Init(new SparseMemory());
        Assert.NotNull(manager.Get(254));
        Assert.Throws<ArgumentOutOfRangeException>(() => manager.Get(255));
        Assert.Throws<ArgumentOutOfRangeException>(() => manager.Get(-1));
    }
}
