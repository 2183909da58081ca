using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.Tests.MemoryManager;

using Manager = ActorMigrate.StableMemory.MemoryManager;

/// <summary>Load of a corrupt memory raises CorruptMemoryException naming what and where.</summary>
public class MemoryManagerCorruptionTests
{
    /// <summary>A valid manager (bucket size 1) with memory 2 in buckets 0 and 2 and memory 5 in bucket 1.</summary>
    private static SparseMemory ValidImage()
    {
        var memory = new SparseMemory();
        var manager = Manager.Init(memory, bucketSizeInPages: 1);
        manager.Get(2).Grow(1);
        manager.Get(5).Grow(1);
        manager.Get(2).Grow(1);
        manager.Get(2).Write(0, [1, 2, 3]);
        Manager.Load(memory); // the starting point is valid
        return memory;
    }

    private static CorruptMemoryException LoadFails(IMemory memory) =>
        Assert.Throws<CorruptMemoryException>(() => Manager.Load(memory));

    [Fact]
    public void Load_of_a_wrong_magic_names_the_bytes_at_offset_0()
    {
        var memory = ValidImage();
        memory.Write(0, "MGX"u8);
        var e = LoadFails(memory);
        Assert.Contains("offset 0", e.Message);
        Assert.Contains("4D4758", e.Message);
    }

    [Fact]
    public void Load_of_an_unknown_layout_version_names_it_and_offset_3()
    {
        var memory = ValidImage();
        memory.Write(3, [2]);
        var e = LoadFails(memory);
        Assert.Contains("version 2", e.Message);
        Assert.Contains("offset 3", e.Message);
    }

    [Fact]
    public void Load_of_a_memory_too_small_for_the_header_says_it_is_truncated()
    {
        var e = LoadFails(new SparseMemory());
        Assert.Contains("truncated", e.Message);
        Assert.Contains("34848", e.Message);
    }

    [Fact]
    public void Load_of_a_bucket_count_beyond_the_table_names_the_count_and_offset_4()
    {
        var memory = ValidImage();
        memory.Write(4, [0x01, 0x80]); // 32,769
        var e = LoadFails(memory);
        Assert.Contains("32769", e.Message);
        Assert.Contains("offset 4", e.Message);
    }

    [Fact]
    public void Load_of_a_bucket_table_entry_beyond_the_allocated_count_names_the_bucket_and_its_offset()
    {
        var memory = ValidImage();
        memory.Write(2080 + 9, [7]);
        var e = LoadFails(memory);
        Assert.Contains("entry 9", e.Message);
        Assert.Contains("offset 2089", e.Message);
        Assert.Contains("memory 7", e.Message);
    }

    [Fact]
    public void Load_of_a_memory_size_beyond_its_buckets_names_the_memory_and_its_offset()
    {
        var memory = ValidImage();
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, 3);
        memory.Write(40 + 5 * 8, size);
        var e = LoadFails(memory);
        Assert.Contains("memory 5", e.Message);
        Assert.Contains("offset 80", e.Message);
    }

    [Fact]
    public void Load_of_a_bucket_size_of_zero_names_offset_6()
    {
        var memory = ValidImage();
        memory.Write(6, [0, 0]);
        var e = LoadFails(memory);
        Assert.Contains("offset 6", e.Message);
    }

    [Fact]
    public void Load_of_more_buckets_than_the_memory_holds_names_both_sizes()
    {
        var memory = ValidImage();
        memory.Write(6, [0x00, 0x01]); // bucket size 256 pages: 3 buckets need 769 pages, there are 4
        var e = LoadFails(memory);
        Assert.Contains("769", e.Message);
    }

    [Fact]
    public void A_free_table_entry_below_the_bucket_count_loads_as_a_bucket_nobody_owns_and_is_not_handed_out_again()
    {
        var memory = ValidImage();
        memory.Write(2080 + 1, [0xFF]); // memory 5's bucket, released as the reverted reclaim_memory did
        Span<byte> zero = stackalloc byte[8];
        memory.Write(40 + 5 * 8, zero);

        var manager = Manager.Load(memory);
        Assert.Empty(manager.BucketsOf(5));
        Assert.Equal(new ushort[] { 0, 2 }, manager.BucketsOf(2));
        manager.Get(5).Grow(1);
        Assert.Equal(new ushort[] { 3 }, manager.BucketsOf(5));
    }

    [Fact]
    public void Load_of_any_single_corrupted_metadata_byte_either_succeeds_or_raises_CorruptMemoryException()
    {
        var pristine = ValidImage().ToArray();
        var random = new Random(1234);
        for (var trial = 0; trial < 300; trial++)
        {
            var memory = SparseMemory.FromImage(pristine);
            var offset = trial < 80 ? trial : random.Next(0, 2080 + 40);
            memory.Write((ulong)offset, [(byte)random.Next(256)]);
            try
            {
                var manager = Manager.Load(memory);
                for (var id = 0; id < 255; id++)
                {
                    var m = manager.Get(id);
                    if (m.Size > 0)
                    {
                        m.Read(0, new byte[checked((int)m.SizeInBytes())]);
                    }
                }
            }
            catch (CorruptMemoryException)
            {
            }
        }
    }
}
