using static ActorMigrate.StableMemory.Tests.Structures.StructureBytes;

namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>
/// The MinHeap has no conformance image, so its layout is pinned here: the BaseVec header with magic "SMH",
/// and the heap array in the order the Rust library's bubble-up and bubble-down leave it.
/// </summary>
public sealed class StableMinHeapLayoutTests
{
    [Fact]
    public void A_new_heap_writes_the_vec_header_with_magic_SMH()
    {
        var memory = new SparseMemory();
        StableMinHeap<ulong>.New(memory, Storable.U64);

        Assert.Equal(Hex("534d48 01 0000000000000000 08000000 01"), Read(memory, 0, 17));
    }

    [Fact]
    public void Pushes_bubble_the_smaller_element_up_and_leave_the_array_in_heap_order()
    {
        var heap = StableMinHeap<ulong>.New(new SparseMemory(), Storable.U64);
        foreach (var value in new ulong[] { 5, 3, 8, 1 })
        {
            heap.Push(value);
        }

        // 5 → [5]; 3 → [3,5]; 8 → [3,5,8]; 1 rises past 5 and 3 → [1,3,8,5]
        Assert.Equal(Hex("0400000000000000"), Read(heap.Memory, 4, 8));
        Assert.Equal(Hex("0000000000000001 0000000000000003 0000000000000008 0000000000000005"), Read(heap.Memory, 64, 32));
    }

    [Fact]
    public void Pop_moves_the_last_element_to_the_root_and_bubbles_it_down_past_the_smaller_child()
    {
        var heap = StableMinHeap<ulong>.New(new SparseMemory(), Storable.U64);
        foreach (var value in new ulong[] { 5, 3, 8, 1 })
        {
            heap.Push(value);
        }

        Assert.True(heap.TryPop(out var smallest));

        // [1,3,8,5] → 5 to the root of [5,3,8] → it sinks past 3 → [3,5,8]; slot 3 keeps its stale 5
        Assert.Equal(1UL, smallest);
        Assert.Equal(Hex("0300000000000000"), Read(heap.Memory, 4, 8));
        Assert.Equal(Hex("0000000000000003 0000000000000005 0000000000000008 0000000000000005"), Read(heap.Memory, 64, 32));
        Assert.True(heap.TryPeek(out var top));
        Assert.Equal(3UL, top);
    }

    [Fact]
    public void Equal_elements_do_not_move()
    {
        var heap = StableMinHeap<ulong>.New(new SparseMemory(), Storable.U64);
        heap.Push(2);
        heap.Push(2);
        heap.Push(1);

        Assert.Equal([1UL, 2, 2], heap.ToArray());
    }

    [Fact]
    public void A_heap_of_blobs_orders_by_bytes_and_stores_a_length_prefix()
    {
        var heap = StableMinHeap<Blob>.New(new SparseMemory(), Storable.Blob(4));
        heap.Push(Blob.FromHex("02"));
        heap.Push(Blob.FromHex("0100"));

        Assert.Equal(Hex("02 01000000 01 02000000"), Read(heap.Memory, 64, 10));
    }

    [Fact]
    public void A_heap_written_by_hand_in_the_documented_layout_pops_in_order()
    {
        var memory = PageWith(
            "534d48 01 0300000000000000 08000000 01" + new string('0', 94) +
            "0000000000000001 0000000000000004 0000000000000002");

        var heap = StableMinHeap<ulong>.Init(memory, Storable.U64);
        var popped = new List<ulong>();
        while (heap.TryPop(out var value))
        {
            popped.Add(value);
        }

        Assert.Equal([1UL, 2, 4], popped);
    }
}
