using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>
/// The memory calls a map makes, which the engine will meter: a node is read as its 7-byte header plus
/// one batched read of its front, values are read on use, and the 16-slot node cache spares the reads
/// of the nodes a previous operation returned to it.
/// </summary>
public class BTreeMapAccessPatternTests
{
    [Fact]
    public void A_lookup_reads_the_node_header_its_front_and_the_value_and_a_repeat_reads_only_the_value()
    {
        var memory = new CountingMemory(new SparseMemory());
        var map = StableBTreeMap<ulong, ulong>.New(memory, Storable.U64, Storable.U64);
        map.Insert(1, 10, out _);
        map.Insert(2, 20, out _);

        var reopened = StableBTreeMap<ulong, ulong>.Load(memory, Storable.U64, Storable.U64);
        memory.Reset();
        Assert.Equal(20UL, reopened[2]);

        // Header (7 bytes); the front of the leaf, sized as if values were empty: 15 + 2 keys × 8 +
        // 2 value sizes × 4 = 39 bytes; the second value's size field lies past it (after the first
        // value's 8 bytes) and is read alone (4 bytes), as in the library; then the value (8 bytes).
        Assert.Equal(["116+7", "116+39", "159+4", "163+8"], memory.Log);
        Assert.Equal(7 + 39 + 4 + 8, memory.BytesRead);
        Assert.Equal(0, memory.Writes);

        memory.Reset();
        Assert.Equal(10UL, reopened[1]);
        Assert.Equal(1, memory.Reads); // the root came from the node cache; only the value is read
        Assert.Equal(8, memory.BytesRead);
        Assert.Equal((1L, 1L), reopened.NodeCacheStatistics);
    }

    [Fact]
    public void An_insert_into_a_leaf_rewrites_it_in_two_writes_and_rewrites_the_header()
    {
        var memory = new CountingMemory(new SparseMemory());
        var map = StableBTreeMap<ulong, ulong>.New(memory, Storable.U64, Storable.U64);
        map.Insert(1, 10, out _);
        var reopened = StableBTreeMap<ulong, ulong>.Load(memory, Storable.U64, Storable.U64);
        memory.Reset();
        reopened.Insert(2, 20, out _);

        // Writes: node header, node body, the overflow-address terminator, the map header.
        Assert.Equal(4, memory.Writes);

        // Reads: the node's header and front, then the one stored value the rewrite needs.
        Assert.True(memory.Reads == 3, string.Join(", ", memory.Log));
    }
}
