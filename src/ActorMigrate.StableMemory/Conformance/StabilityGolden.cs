namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// The Rust library's <c>memory_manager::stability</c> test: a MemoryManager with one-page buckets,
/// growing writes of a 2×65,536+901-byte pattern across three memories at offsets that straddle
/// bucket boundaries, then reads back at other straddling offsets.
/// </summary>
public static class StabilityGolden
{
    private const int Memories = 3;

    /// <summary>The underlying memory after the writes.</summary>
    public static byte[] Write() => Run().Memory.ToArray();

    /// <summary>The 4×65,536-byte read buffer after the reads.</summary>
    public static byte[] Read() => Run().ReadBuffer;

    private static (IMemory Memory, byte[] ReadBuffer) Run()
    {
        const int page = (int)WasmPage.SizeInBytes;
        var memory = new SparseMemory();
        var manager = MemoryManager.Init(memory, bucketSizeInPages: 1);
        var data = new byte[2 * page + 901];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)i;
        }

        var memoryId = 0;
        IMemory Next()
        {
            memoryId = (memoryId + 1) % Memories;
            return manager.Get(memoryId);
        }

        ulong[] writeOffsets = [0, page / 2, page - 1, page + 1, 2 * page + page / 2];
        for (var round = 0; round < Memories * 5; round++)
        {
            foreach (var offset in writeOffsets)
            {
                GrowingWrite(Next(), offset, data);
            }
        }

        var read = new byte[4 * page];
        for (var round = 0; round < Memories * 4; round++)
        {
            Next().Read(0, read.AsSpan(0, page / 2));
            Next().Read(page / 2 - 150, read.AsSpan(page / 2, page / 2));
            Next().Read(page - 473, read.AsSpan(page, page));
            Next().Read(2 * page, read.AsSpan(2 * page));
        }

        return (memory, read);
    }

    /// <summary>Grows just enough pages to hold the write, then writes (the library's <c>safe_write</c>).</summary>
    private static void GrowingWrite(IMemory memory, ulong offset, ReadOnlySpan<byte> bytes)
    {
        var end = offset + (ulong)bytes.Length;
        var pages = (end + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
        if (pages > memory.Size && memory.Grow(pages - memory.Size) < 0)
        {
            throw new GrowFailedException($"{memory} could not grow to {pages} pages");
        }

        memory.Write(offset, bytes);
    }
}
