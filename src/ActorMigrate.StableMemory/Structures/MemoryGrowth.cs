namespace ActorMigrate.StableMemory;

/// <summary>Writes that grow the memory first when they would end beyond it: the Rust library's <c>safe_write</c>.</summary>
internal static class MemoryGrowth
{
    /// <summary>
    /// Grows <paramref name="memory"/> by just enough pages for <paramref name="bytes"/> to fit at
    /// <paramref name="offset"/>, then writes them (one grow call at most, then one write call).
    /// </summary>
    /// <exception cref="GrowFailedException">The memory refused to grow; nothing was written.</exception>
    public static void Write(IMemory memory, ulong offset, ReadOnlySpan<byte> bytes, string structureName)
    {
        var end = checked(offset + (ulong)bytes.Length);
        var sizeInPages = memory.Size;
        var sizeInBytes = WasmPage.ToBytes(sizeInPages);
        if (sizeInBytes < end)
        {
            var pages = (end - sizeInBytes + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
            if (memory.Grow(pages) < 0)
            {
                throw new GrowFailedException(
                    $"{structureName} could not grow its memory from {sizeInPages} pages by {pages} to write {bytes.Length} bytes at offset {offset}");
            }
        }

        memory.Write(offset, bytes);
    }
}
