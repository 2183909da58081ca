using Akka.Actor;
using Akka.Persistence;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// Reads the chunk events a <see cref="CheckpointManifest"/> points to, straight from the journal
/// (they precede the snapshot, so Akka's recovery does not replay them), checks that they are exactly
/// the manifest's chunks, in order, with its length and SHA-256, and hands them to its parent as
/// <see cref="Loaded"/> or <see cref="Failed"/>. Then it stops. It reads from the imaged round's event on:
/// the rounds journaled between it and the first chunk (while the image was being built) also precede
/// the snapshot, and come with the chunks, to be applied after the image.
/// </summary>
internal sealed class CheckpointReader : ReceiveActor
{
    private readonly CheckpointManifest manifest;
    private readonly List<ReadOnlyMemory<byte>> chunks = [];
    private readonly List<RoundPersisted> roundsBeforeChunks = [];

    public CheckpointReader(IActorRef journal, string persistenceId, CheckpointManifest manifest, long snapshotSequenceNr, TimeSpan timeout)
    {
        this.manifest = manifest;
        var last = manifest.FirstChunkSequenceNr + manifest.ChunkCount - 1;
        if (manifest.ChunkCount <= 0 || last != snapshotSequenceNr)
        {
            Finish(new Failed(
                $"checkpoint manifest of round {manifest.Round} at sequence number {snapshotSequenceNr} names {manifest.ChunkCount} chunks " +
                $"from sequence number {manifest.FirstChunkSequenceNr}; they must end where the snapshot is"));
            return;
        }

        Receive<ReplayedMessage>(m => OnChunk(m.Persistent));
        Receive<RecoverySuccess>(_ => OnEnd());
        Receive<ReplayMessagesFailure>(f => Finish(new Failed(
            $"reading the checkpoint chunks of round {manifest.Round} failed: {StableMemoryActor.Describe(f.Cause)}")));
        Receive<ReceiveTimeout>(_ => Finish(new Failed(
            $"the checkpoint chunks of round {manifest.Round} did not arrive within {timeout} ({chunks.Count} of {manifest.ChunkCount} read)")));
        SetReceiveTimeout(timeout);
        var from = manifest.ImagedRoundSequenceNr + 1;
        if (from > manifest.FirstChunkSequenceNr)
        {
            Finish(new Failed(
                $"checkpoint manifest of round {manifest.Round} names its round's event at sequence number {manifest.ImagedRoundSequenceNr}, not before its first chunk at {manifest.FirstChunkSequenceNr}"));
            return;
        }

        journal.Tell(new ReplayMessages(from, last, last - from + 1, persistenceId, Self));
    }

    public static Props Props(IActorRef journal, string persistenceId, CheckpointManifest manifest, long snapshotSequenceNr, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new CheckpointReader(journal, persistenceId, manifest, snapshotSequenceNr, timeout));

    private void OnChunk(IPersistentRepresentation persistent)
    {
        if (persistent.SequenceNr < manifest.FirstChunkSequenceNr)
        {
            // Between the imaged round and the chunks: later rounds (applied after the image), or chunks of
            // an image whose manifest was never saved (they copy state the rounds give: skipped).
            if (persistent.Payload is RoundPersisted round)
            {
                roundsBeforeChunks.Add(round);
            }
            else if (persistent.Payload is not CheckpointChunk)
            {
                Finish(new Failed($"checkpoint of round {manifest.Round}: found {Describe(persistent)} before its chunks"));
            }

            return;
        }

        var index = chunks.Count;
        var expectedSequenceNr = manifest.FirstChunkSequenceNr + index;
        if (persistent.Payload is not CheckpointChunk chunk || persistent.SequenceNr != expectedSequenceNr
            || chunk.Round != manifest.Round || chunk.Index != index || chunk.Count != manifest.ChunkCount)
        {
            Finish(new Failed(
                $"checkpoint of round {manifest.Round}: expected chunk {index} of {manifest.ChunkCount} at sequence number {expectedSequenceNr}, " +
                $"found {Describe(persistent)}"));
            return;
        }

        chunks.Add(chunk.Bytes);
    }

    private void OnEnd()
    {
        if (chunks.Count != manifest.ChunkCount)
        {
            Finish(new Failed($"checkpoint of round {manifest.Round}: the journal holds {chunks.Count} of its {manifest.ChunkCount} chunks"));
            return;
        }

        var length = chunks.Sum(c => (long)c.Length);
        if (length != manifest.ImageLength || !CheckpointImage.Sha256(chunks).AsSpan().SequenceEqual(manifest.ImageSha256.Span))
        {
            Finish(new Failed(
                $"checkpoint of round {manifest.Round}: its chunks hold {length} bytes that do not match the manifest's " +
                $"{manifest.ImageLength} bytes and SHA-256"));
            return;
        }

        Finish(new Loaded(chunks, roundsBeforeChunks));
    }

    private static string Describe(IPersistentRepresentation p) => p.Payload switch
    {
        CheckpointChunk c => $"chunk {c.Index} of {c.Count} of round {c.Round} at sequence number {p.SequenceNr}",
        var other => $"{other.GetType().Name} at sequence number {p.SequenceNr}",
    };

    private void Finish(object result)
    {
        SetReceiveTimeout(null);
        Context.Parent.Tell(result);
        Context.Stop(Self);
    }

    /// <summary>Every chunk of the image, in order, verified; and the rounds journaled after the imaged round and before the chunks, in order.</summary>
    public sealed record Loaded(IReadOnlyList<ReadOnlyMemory<byte>> Chunks, IReadOnlyList<RoundPersisted> RoundsBeforeChunks);

    /// <summary>The checkpoint could not be read; the reason says which part and why.</summary>
    public sealed record Failed(string Reason);
}
