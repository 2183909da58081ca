namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The Rust library's <c>write</c> helper: a write past the end first grows the memory by just
/// enough 64 KiB pages, so the structures' growth (and thus the image size) matches the library's.
/// </summary>
internal static class StableWrite
{
    public static void Write(IMemory memory, ulong offset, ReadOnlySpan<byte> bytes)
    {
        var end = offset + (ulong)bytes.Length;
        var sizeInBytes = memory.SizeInBytes();
        if (end > sizeInBytes)
        {
            var pages = (end - sizeInBytes + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
            if (memory.Grow(pages) < 0)
            {
                throw new GrowFailedException(
                    $"BTreeMap could not grow its memory from {memory.Size} by {pages} pages to write {bytes.Length} bytes at offset {offset}");
            }
        }

        memory.Write(offset, bytes);
    }

    public static void WriteU64(IMemory memory, ulong offset, ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        Write(memory, offset, buffer);
    }
}
