using System.Buffers.Binary;

namespace ActorMigrate.StableMemory;

/// <summary>
/// Writes sequentially into a memory from <see cref="Position"/>, growing it by just the pages each
/// write needs (the Rust library's <c>Writer</c>): what a pre_upgrade hook uses to put heap state into
/// stable memory, for example a length-prefixed blob in the virtual memory reserved for upgrades.
/// </summary>
public sealed class StableWriter(IMemory memory, ulong offset = 0)
{
    /// <summary>The offset the next write starts at.</summary>
    public ulong Position { get; private set; } = offset;

    public IMemory Memory { get; } = memory;

    /// <summary>Writes <paramref name="bytes"/> at <see cref="Position"/>, growing the memory first if it is too small.</summary>
    /// <exception cref="GrowFailedException">The memory refused to grow (on the IC the canister traps).</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        var end = Position + (ulong)bytes.Length;
        if (end < Position)
        {
            throw new GrowFailedException($"a write of {bytes.Length} bytes at offset {Position} passes the end of the 64-bit address space");
        }

        var pagesNeeded = end / WasmPage.SizeInBytes + (end % WasmPage.SizeInBytes == 0 ? 0UL : 1UL);
        var size = Memory.Size;
        if (pagesNeeded > size && Memory.Grow(pagesNeeded - size) < 0)
        {
            throw new GrowFailedException($"{Memory} could not grow from {size} to {pagesNeeded} pages for a write of {bytes.Length} bytes at offset {Position}");
        }

        Memory.Write(Position, bytes);
        Position = end;
    }

    public void WriteU32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
        Write(buffer);
    }

    public void WriteU64(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        Write(buffer);
    }

    /// <summary>
    /// A 4-byte little-endian length, then the bytes: the legacy raw pre_upgrade layout (the blob at offset 0
    /// of the conformance case manager_over_raw has this shape), read by <see cref="StableReader.ReadLengthPrefixed"/>.
    /// </summary>
    public void WriteLengthPrefixed(ReadOnlySpan<byte> bytes)
    {
        WriteU32((uint)bytes.Length);
        Write(bytes);
    }
}
