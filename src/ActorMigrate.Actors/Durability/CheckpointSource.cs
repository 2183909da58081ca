using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// A <see cref="CanisterDurableState"/> frozen for a checkpoint (<see cref="CanisterDurableState.Freeze"/>):
/// everything the image of <paramref name="Round"/> holds, in buffers no later round changes, so the image
/// can be built on another thread while the actor persists the next rounds.
/// </summary>
/// <param name="HeapDeltas">The deltas journaled after <paramref name="HeapImage"/>, merged into it by <see cref="MergedHeapImage"/>.</param>
/// <param name="HeapImageGeneration">Which heap image of the state <paramref name="HeapImage"/> was (see <see cref="CanisterDurableState.AdoptMergedHeap"/>).</param>
/// <param name="Pages">The non-zero 4 KiB pages, in no particular order (the writer sorts this private copy in place).</param>
internal sealed record CheckpointSource(
    long Round,
    ulong StableMemorySizeInPages,
    ReadOnlyMemory<byte> Metadata,
    ReadOnlyMemory<byte>? HeapImage,
    IReadOnlyList<ReadOnlyMemory<byte>> HeapDeltas,
    long HeapImageGeneration,
    KeyValuePair<ulong, byte[]>[] Pages)
{
    /// <summary>The heap image with every delta merged into it (one pass), or null when no heap was persisted.</summary>
    /// <exception cref="CorruptCheckpointException">A delta does not apply (no image before it, or malformed).</exception>
    public ReadOnlyMemory<byte>? MergedHeapImage() => Merge(HeapImage, HeapDeltas, Round);

    /// <summary><paramref name="image"/> with <paramref name="deltas"/> (journaled up to <paramref name="round"/>) merged into it in one pass.</summary>
    /// <exception cref="CorruptCheckpointException">A delta does not apply (no image before it, or malformed).</exception>
    public static ReadOnlyMemory<byte>? Merge(ReadOnlyMemory<byte>? image, IReadOnlyList<ReadOnlyMemory<byte>> deltas, long? round)
    {
        if (deltas.Count == 0)
        {
            return image;
        }

        if (image is not { } heap)
        {
            throw new CorruptCheckpointException($"{deltas.Count} heap deltas are journaled but no heap image before them");
        }

        try
        {
            return HeapImageDelta.Apply(heap, deltas);
        }
        catch (CorruptMemoryException e)
        {
            throw new CorruptCheckpointException($"the heap deltas up to round {round} do not apply to the heap image: {e.Message}");
        }
    }
}
