namespace ActorMigrate.StableMemory;

/// <summary>Base of every error this layer raises.</summary>
public abstract class StableMemoryException(string message) : Exception(message);

/// <summary>
/// An access outside the memory's current size. On the IC this is a trap; the engine turns it
/// into one.
/// </summary>
public sealed class StableMemoryOutOfBoundsException(ulong offset, ulong length, ulong sizeInBytes)
    : StableMemoryException(
        $"stable memory access out of bounds: {length} bytes at offset {offset}, but the memory has {sizeInBytes} bytes")
{
    public ulong Offset { get; } = offset;
    public ulong Length { get; } = length;
    public ulong SizeInBytes { get; } = sizeInBytes;
}

/// <summary>Bytes that do not hold what the structure reading them expects. The message says what and where.</summary>
public sealed class CorruptMemoryException(string message) : StableMemoryException(message);

/// <summary>A structure could not grow its memory (the memory or the MemoryManager ran out of pages or buckets).</summary>
public sealed class GrowFailedException(string message) : StableMemoryException(message);
