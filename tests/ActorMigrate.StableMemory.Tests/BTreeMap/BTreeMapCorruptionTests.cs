using System.Buffers.Binary;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>Corrupt images raise CorruptMemoryException naming what is wrong, and never loop.</summary>
public class BTreeMapCorruptionTests
{
    private static SparseMemory MapWith(int entries, out StableBTreeMap<ulong, ulong> map)
    {
        var memory = new SparseMemory();
        map = StableBTreeMap<ulong, ulong>.New(memory, Storable.U64, Storable.U64);
        for (ulong i = 0; i < (ulong)entries; i++)
        {
            map.Insert(i, i * 10, out _);
        }

        return memory;
    }

    private static ulong Root(IMemory memory) => memory.ReadU64(12);

    private static StableBTreeMap<ulong, ulong> Reopen(IMemory memory) =>
        StableBTreeMap<ulong, ulong>.Load(memory, Storable.U64, Storable.U64);

    [Fact]
    public void Loading_a_memory_with_a_bad_magic_names_the_magic()
    {
        var memory = MapWith(3, out _);
        memory.Write(0, "BTQ"u8);
        var e = Assert.Throws<CorruptMemoryException>(() => Reopen(memory));
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void A_bad_allocator_magic_is_reported()
    {
        var memory = MapWith(3, out _);
        memory.Write(52, "XXX"u8);
        Assert.Contains("allocator magic", Assert.Throws<CorruptMemoryException>(() => Reopen(memory)).Message);
    }

    [Fact]
    public void A_node_with_a_bad_magic_is_reported_at_its_offset()
    {
        var memory = MapWith(3, out _);
        var root = Root(memory);
        memory.Write(root, "XYZ"u8);
        var e = Assert.Throws<CorruptMemoryException>(() => Reopen(memory).TryGetValue(1, out _));
        Assert.Contains($"node magic at offset {root}", e.Message);
    }

    [Fact]
    public void A_root_address_outside_the_memory_is_reported()
    {
        var memory = MapWith(3, out _);
        memory.WriteU64(12, 1UL << 40);
        var map = Reopen(memory);
        Assert.Throws<CorruptMemoryException>(() => map.TryGetValue(1, out _));
        Assert.Throws<CorruptMemoryException>(() => map.ToList());
        Assert.Throws<CorruptMemoryException>(() => map.Insert(5, 5, out _));
    }

    [Fact]
    public void A_child_address_outside_the_memory_is_reported()
    {
        var memory = MapWith(40, out _);
        var root = Root(memory);
        memory.WriteU64(root + 15, memory.SizeInBytes() + 116);
        var e = Assert.Throws<CorruptMemoryException>(() => Reopen(memory).TryGetValue(0, out _));
        Assert.Contains("not a chunk inside the memory", e.Message);
    }

    [Fact]
    public void An_overflow_address_outside_the_memory_is_reported()
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<byte[], byte[]>.New(memory, Storable.Bytes, Storable.Bytes);
        map.Insert([1], new byte[3000], out _);
        var root = Root(memory);
        memory.WriteU64(root + 7, 1UL << 40);
        var reopened = StableBTreeMap<byte[], byte[]>.Load(memory, Storable.Bytes, Storable.Bytes);
        var e = Assert.Throws<CorruptMemoryException>(() => reopened.TryGetValue([1], out _));
        Assert.Contains("beyond the memory", e.Message);
    }

    [Fact]
    public void An_overflow_chain_that_loops_is_reported_instead_of_followed_forever()
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<byte[], byte[]>.New(memory, Storable.Bytes, Storable.Bytes);
        map.Insert([1], new byte[3000], out _);
        var first = memory.ReadU64(Root(memory) + 7);
        memory.WriteU64(first + 3, first);
        var reopened = StableBTreeMap<byte[], byte[]>.Load(memory, Storable.Bytes, Storable.Bytes);
        var e = Assert.Throws<CorruptMemoryException>(() => reopened.TryGetValue([1], out _));
        Assert.Contains("loops", e.Message);
    }

    [Fact]
    public void A_cycle_of_node_addresses_is_reported_by_lookups_inserts_and_iteration()
    {
        var memory = MapWith(40, out _);
        var root = Root(memory);
        memory.WriteU64(root + 15, root); // the root's first child is the root itself
        var map = Reopen(memory);
        Assert.Contains("cycle", Assert.Throws<CorruptMemoryException>(() => map.TryGetValue(0, out _)).Message);
        Assert.Contains("cycle", Assert.Throws<CorruptMemoryException>(() => map.ToList()).Message);
        Assert.Contains("cycle", Assert.Throws<CorruptMemoryException>(() => map.First()).Message);
        Assert.Throws<CorruptMemoryException>(() => map.Insert(0, 1, out _));
    }

    [Fact]
    public void An_impossible_entry_count_is_reported()
    {
        var memory = MapWith(3, out _);
        var root = Root(memory);
        Span<byte> count = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(count, 500);
        memory.Write(root + 5, count);
        var e = Assert.Throws<CorruptMemoryException>(() => Reopen(memory).TryGetValue(1, out _));
        Assert.Contains("claims 500 entries", e.Message);
    }

    [Fact]
    public void A_value_size_larger_than_the_node_is_reported()
    {
        var memory = MapWith(1, out _);
        var root = Root(memory);
        memory.WriteU32(root + 15 + 8, 1_000_000); // the only value's size field
        Assert.Throws<CorruptMemoryException>(() => Reopen(memory).TryGetValue(0, out _));
    }
}
