namespace ActorMigrate.Canisters;

/// <summary>
/// A container of heap state. Every change pushes one entry on the container's own undo stack and
/// names the container in the heap's undo log, so a rollback undoes exactly the changes made, newest
/// first, in O(changes).
/// </summary>
public interface IHeapContainer
{
    string Name { get; }

    /// <summary>Bytes its elements occupy, by their codecs.</summary>
    long LiveBytes { get; }

    /// <summary>Reverts the newest change still on the undo stack.</summary>
    internal void UndoLast();

    /// <summary>Drops the undo stack: the changes are committed.</summary>
    internal void ForgetUndo();

    /// <summary>A deep copy owned by <paramref name="heap"/> (snapshots).</summary>
    internal IHeapContainer CloneInto(Heap heap);

    /// <summary>Its kind in a heap image.</summary>
    internal HeapContainerKind Kind { get; }

    /// <summary>Writes its payload into a <see cref="HeapImage"/> (layout there, per kind).</summary>
    internal void WriteImage(HeapImageWriter writer);

    /// <summary>
    /// Forgets what changed so far (a delta was taken, or tracking starts) and, when <paramref name="record"/>,
    /// records from now on what each change touches (keys, indices, the cell's value) for the next delta.
    /// </summary>
    internal void ResetChanges(bool record);

    /// <summary>Whether anything was recorded since <see cref="ResetChanges"/> (a rolled-back change may count).</summary>
    internal bool HasChanges { get; }

    /// <summary>Writes what changed since <see cref="ResetChanges"/> as a <see cref="HeapImageDelta"/> payload (layout there, per kind).</summary>
    internal void WriteChanges(HeapImageWriter writer);

    /// <summary>Adds its content to a deterministic digest (trace hash, tests).</summary>
    internal void Digest(System.Security.Cryptography.IncrementalHash hash);
}
