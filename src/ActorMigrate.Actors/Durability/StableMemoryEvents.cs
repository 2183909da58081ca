namespace ActorMigrate.Actors.Durability;

/// <summary>
/// What a <see cref="StableMemoryActor"/> writes: journal events and the snapshot. Bound to
/// <see cref="StableMemorySerializer"/> in hocon/persistence.conf; their bytes are documented there.
/// </summary>
public interface IStableMemoryEvent;

/// <summary>
/// One round, whole: the journal event a <see cref="PersistRound"/> becomes. <paramref name="ChangedRuns"/>
/// are the parts of its dirty pages that changed, page by page (a page's runs adjacent). At most one of
/// <paramref name="HeapImage"/> (a new heap instance) and <paramref name="HeapDelta"/> (the heap's changes) is set.
/// <paramref name="BetweenRounds"/>: a management operation's change after round <paramref name="Round"/>, which
/// may follow that round's own event.
/// </summary>
public sealed record RoundPersisted(
    long Round,
    ulong StableMemorySizeInPages,
    bool StableMemoryReset,
    IReadOnlyList<PageRun> ChangedRuns,
    ReadOnlyMemory<byte> Metadata,
    ReadOnlyMemory<byte>? HeapImage,
    ReadOnlyMemory<byte>? HeapDelta = null,
    bool BetweenRounds = false) : IStableMemoryEvent
{
    /// <summary>About what the event costs the journal: its runs, metadata and heap bytes.</summary>
    public long JournaledBytes => ChangedRuns.Sum(r => (long)PageRun.HeaderBytes + r.Bytes.Length) + Metadata.Length + (HeapImage?.Length ?? 0) + (HeapDelta?.Length ?? 0);
}

/// <summary>
/// Part <paramref name="Index"/> of <paramref name="Count"/> of the checkpoint image of
/// <paramref name="Round"/>: a bounded slice of the byte stream <see cref="CheckpointImage"/> describes.
/// </summary>
public sealed record CheckpointChunk(long Round, int Index, int Count, ReadOnlyMemory<byte> Bytes) : IStableMemoryEvent;

/// <summary>
/// The snapshot: a small, bounded pointer to the checkpoint image of <paramref name="Round"/>, held by
/// the <paramref name="ChunkCount"/> journal events that start at <paramref name="FirstChunkSequenceNr"/>
/// (see Durability/CHECKPOINTS.md).
/// </summary>
/// <param name="RoundSequenceNr">The sequence number of round <paramref name="Round"/>'s own event. The rounds
/// journaled after it and before the first chunk (an image built while later rounds went on) come after the
/// image on recovery. -1 (manifest layout 1): the chunks follow the round directly.</param>
public sealed record CheckpointManifest(
    long Round,
    long FirstChunkSequenceNr,
    int ChunkCount,
    long ImageLength,
    ReadOnlyMemory<byte> ImageSha256,
    long RoundSequenceNr = -1) : IStableMemoryEvent
{
    /// <summary>The sequence number of the imaged round's event.</summary>
    public long ImagedRoundSequenceNr => RoundSequenceNr >= 0 ? RoundSequenceNr : FirstChunkSequenceNr - 1;
}
