namespace ActorMigrate.StableMemory;

/// <summary>
/// A linear, byte-addressed memory with the IC's stable-memory semantics: it is measured in 64 KiB
/// Wasm pages, only grows, and every access must lie inside its current size.
/// Everything in this layer (the MemoryManager, its virtual memories, the structures) builds on it.
/// </summary>
public interface IMemory
{
    /// <summary>The current size in 64 KiB pages.</summary>
    ulong Size { get; }

    /// <summary>
    /// Grows the memory by <paramref name="pages"/> zeroed pages. Returns the previous size in pages,
    /// or -1 when the memory cannot grow that far (like <c>stable64_grow</c>, a refusal never throws
    /// and leaves the size unchanged).
    /// </summary>
    long Grow(ulong pages);

    /// <summary>Copies <c>destination.Length</c> bytes starting at <paramref name="offset"/>.</summary>
    /// <exception cref="StableMemoryOutOfBoundsException">Any byte lies beyond the current size.</exception>
    void Read(ulong offset, Span<byte> destination);

    /// <summary>Writes <paramref name="source"/> starting at <paramref name="offset"/>.</summary>
    /// <exception cref="StableMemoryOutOfBoundsException">Any byte lies beyond the current size.</exception>
    void Write(ulong offset, ReadOnlySpan<byte> source);
}
