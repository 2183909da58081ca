using System.Buffers.Binary;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>The bytes a map writes, field by field, as the layout tables at the top of the map and node files say.</summary>
public class BTreeMapLayoutTests
{
    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

    private static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));

    [Fact]
    public void A_new_bounded_map_writes_a_v2_header_with_three_quarters_of_the_v1_node_size_and_an_empty_allocator()
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<ulong, ulong>.New(memory, Storable.U64, Storable.U64);
        var bytes = memory.ToArray();

        // A v1 node of u64/u64: 7 + 11 × (4 + 8 + 4 + 8) + 12 × 8 = 367 bytes; ¾ of it rounds down to 275.
        Assert.Equal(275u, map.PageSize);
        Assert.Equal("BTR"u8.ToArray(), bytes[..3]);
        Assert.Equal(2, bytes[3]);
        Assert.Equal(275u, U32(bytes, 4));
        Assert.Equal(uint.MaxValue, U32(bytes, 8));
        Assert.Equal(0UL, U64(bytes, 12));
        Assert.Equal(0UL, U64(bytes, 20));
        Assert.All(bytes[28..52], b => Assert.Equal(0, b));

        Assert.Equal("BTA"u8.ToArray(), bytes[52..55]);
        Assert.Equal(1, bytes[55]);
        Assert.Equal(275UL, U64(bytes, 60));
        Assert.Equal(0UL, U64(bytes, 68));
        Assert.Equal(100UL, U64(bytes, 76));
        Assert.Equal("CHK"u8.ToArray(), bytes[100..103]);
        Assert.Equal([1, 0], bytes[103..105]);
        Assert.Equal(0UL, U64(bytes, 108));
        Assert.Equal(1UL, memory.Size);
    }

    [Fact]
    public void An_unbounded_map_uses_1024_byte_pages()
    {
        var map = StableBTreeMap<byte[], ulong>.New(new SparseMemory(), Storable.Bytes, Storable.U64);
        Assert.Equal(1024u, map.PageSize);
    }

    [Fact]
    public void The_first_insert_allocates_the_first_chunk_as_a_v2_leaf_with_fixed_size_keys_unprefixed()
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<ulong, ulong>.New(memory, Storable.U64, Storable.U64);
        map.Insert(0x0102030405060708, 42, out _);
        var bytes = memory.ToArray();

        Assert.Equal(116UL, U64(bytes, 12));  // root: the first chunk's data, after its 16-byte header
        Assert.Equal(1UL, U64(bytes, 20));
        Assert.Equal(1, bytes[104]);           // the chunk is allocated
        Assert.Equal(1UL, U64(bytes, 68));     // one chunk allocated
        Assert.Equal(100UL + 16 + 275, U64(bytes, 76)); // the next free chunk follows
        Assert.Equal("BTN"u8.ToArray(), bytes[116..119]);
        Assert.Equal(2, bytes[119]);           // layout version
        Assert.Equal(0, bytes[120]);           // leaf
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(121)));
        Assert.Equal(0UL, U64(bytes, 123));    // no overflow page
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, bytes[131..139]); // key, big-endian, no size
        Assert.Equal(8u, U32(bytes, 139));     // value size
        Assert.Equal(42UL, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(143)));
    }

    [Fact]
    public void A_v1_map_writes_a_v1_header_with_the_bounds_and_fixed_entry_slots()
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<ulong, Blob>.InitV1(memory, Storable.U64, Storable.Blob(16));
        map.Insert(5, new Blob([9, 9]), out _);
        map.Insert(7, new Blob([1]), out _);
        var bytes = memory.ToArray();

        Assert.Equal(1, bytes[3]);
        Assert.Equal(8u, U32(bytes, 4));
        Assert.Equal(16u, U32(bytes, 8));
        Assert.Equal(1, map.LayoutVersion);
        var node = (int)U64(bytes, 12);
        Assert.Equal(1, bytes[node + 3]);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(node + 5)));

        // Entry slots are 4 + 8 + 4 + 16 = 32 bytes: the second key starts 32 bytes after the first.
        Assert.Equal(8u, U32(bytes, node + 7));
        Assert.Equal(5UL, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(node + 11)));
        Assert.Equal(2u, U32(bytes, node + 19));
        Assert.Equal(7UL, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(node + 32 + 11)));
    }

    [Fact]
    public void A_v1_map_reopened_by_current_code_keeps_its_v1_header_and_adds_v2_nodes_with_the_v1_node_size()
    {
        var memory = new SparseMemory();
        var v1 = StableBTreeMap<ulong, ulong>.InitV1(memory, Storable.U64, Storable.U64);
        for (ulong i = 0; i < 11; i++)
        {
            v1.Insert(i, i, out _);
        }

        var map = StableBTreeMap<ulong, ulong>.Init(memory, Storable.U64, Storable.U64);
        Assert.Equal(367u, map.PageSize);
        map.Insert(100, 100, out _); // splits the full v1 root: the new root and sibling are v2
        var bytes = memory.ToArray();
        Assert.Equal(1, bytes[3]);
        var root = (int)U64(bytes, 12);
        Assert.Equal(2, bytes[root + 3]);
        var oldRoot = (int)U64(bytes, root + 15);
        Assert.Equal(1, bytes[oldRoot + 3]); // the split-off left half stays v1, rewritten in place
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (ulong)i).Append(100UL), map.Keys);
    }

    [Fact]
    public void A_large_value_continues_in_overflow_pages_that_are_freed_when_it_shrinks()
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<byte[], byte[]>.New(memory, Storable.Bytes, Storable.Bytes);
        var big = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        map.Insert([1], big, out _);
        var bytes = memory.ToArray();
        var root = (int)U64(bytes, 12);
        var overflow = (int)U64(bytes, root + 7);
        Assert.NotEqual(0, overflow);
        Assert.Equal("NOF"u8.ToArray(), bytes[overflow..(overflow + 3)]);

        // 15 + 4 + 1 + 4 + 3000 = 3024 bytes: 1024 in the page, then 1013 per overflow page → 2 pages.
        var second = (int)U64(bytes, overflow + 3);
        Assert.NotEqual(0, second);
        Assert.Equal(0UL, U64(bytes, second + 3));
        Assert.Equal(3UL, map.AllocatedChunks);
        Assert.Equal(big, map[[1]]);

        map.Insert([1], [7], out var previous);
        Assert.Equal(big, previous);
        Assert.Equal(1UL, map.AllocatedChunks);
        Assert.Equal(0UL, U64(memory.ToArray(), root + 7));
    }

    [Fact]
    public void Clear_forgets_every_chunk_and_the_map_is_usable_again()
    {
        var map = StableBTreeMap<ulong, ulong>.New(new SparseMemory(), Storable.U64, Storable.U64);
        for (ulong i = 0; i < 500; i++)
        {
            map.Insert(i, i, out _);
        }

        map.Clear();
        Assert.Equal(0UL, map.AllocatedChunks);
        Assert.Empty(map);
        map.Insert(3, 4, out _);
        Assert.Equal(4UL, map[3]);
    }
}
