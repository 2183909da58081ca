namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>
/// The engine meters instructions per memory call, so a structure must make the calls the Rust library
/// makes (canbench's vec_insert_u64 / vec_get_u64 rows are checked against these counts).
/// </summary>
public sealed class MemoryAccessTests
{
    [Fact]
    public void A_u64_vec_push_reads_the_length_once_and_writes_the_element_and_the_length()
    {
        var memory = new CountingMemory(new SparseMemory());
        var vec = StableVec<ulong>.New(memory, Storable.U64);
        vec.Push(1);
        memory.Reset();

        vec.Push(2);

        Assert.Equal((1, 2, 0), (memory.Reads, memory.Writes, memory.Grows));
    }

    [Fact]
    public void A_u64_vec_get_reads_the_length_and_the_element()
    {
        var memory = new CountingMemory(new SparseMemory());
        var vec = StableVec<ulong>.New(memory, Storable.U64);
        vec.Push(1);
        memory.Reset();

        vec.Get(0);

        Assert.Equal((2, 0), (memory.Reads, memory.Writes));
    }

    [Fact]
    public void A_bounded_element_adds_one_access_for_its_length_prefix()
    {
        var memory = new CountingMemory(new SparseMemory());
        var vec = StableVec<Blob>.New(memory, Storable.Blob(32));
        vec.Push(Blob.FromHex("01"));
        memory.Reset();

        vec.Push(Blob.FromHex("02"));
        vec.Get(1);

        Assert.Equal((1 + 3, 3), (memory.Reads, memory.Writes));
    }

    [Fact]
    public void A_log_append_reads_the_count_and_the_previous_end_and_writes_data_index_slot_and_count()
    {
        var index = new CountingMemory(new SparseMemory());
        var data = new CountingMemory(new SparseMemory());
        var log = StableLog<byte[]>.New(index, data, Storable.Bytes);
        log.Append([1]);
        index.Reset();
        data.Reset();

        log.Append([2, 3]);

        Assert.Equal((2, 2, 0, 1), (index.Reads, index.Writes, data.Reads, data.Writes));
    }

    [Fact]
    public void A_pop_at_the_heap_root_reads_with_the_length_check_as_rust_get_does()
    {
        var memory = new CountingMemory(new SparseMemory());
        var heap = StableMinHeap<ulong>.New(memory, Storable.U64);
        heap.Push(1);
        heap.Push(2);
        memory.Reset();

        heap.TryPop(out _);

        // len; get(0) = len + element; pop = len + element + length write; set(0) = len + element write;
        // bubble_down with one slot left reads nothing.
        Assert.Equal((6, 2), (memory.Reads, memory.Writes));
    }

    /// <summary>A memory that counts the calls made on it and passes them on.</summary>
    private sealed class CountingMemory(IMemory inner) : IMemory
    {
        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public int Grows { get; private set; }

        public ulong Size => inner.Size;

        public void Reset() => (Reads, Writes, Grows) = (0, 0, 0);

        public long Grow(ulong pages)
        {
            Grows++;
            return inner.Grow(pages);
        }

        public void Read(ulong offset, Span<byte> destination)
        {
            Reads++;
            inner.Read(offset, destination);
        }

        public void Write(ulong offset, ReadOnlySpan<byte> source)
        {
            Writes++;
            inner.Write(offset, source);
        }
    }
}
