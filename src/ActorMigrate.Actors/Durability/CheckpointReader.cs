using Akka.Actor;
using Akka.Persistence;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// Reads the chunk events a <see cref="CheckpointManifest"/> points to, straight from the journal
/// (they precede the snapshot, so Akka's recovery does not replay them), checks that they are exactly
/// the manifest's chunks, in order, with its length and SHA-256, and hands them to its parent as
/// <see cref="Loaded"/> or <see cref="Failed"/>. Then it stops.
/// </summary>
internal sealed class CheckpointReader : ReceiveActor
{
    private readonly CheckpointManifest manifest;
    private readonly List<ReadOnlyMemory<byte>> chunks = [];

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
        journal.Tell(new ReplayMessages(manifest.FirstChunkSequenceNr, last, manifest.ChunkCount, persistenceId, Self));
    }

    public static Props Props(IActorRef journal, string persistenceId, CheckpointManifest manifest, long snapshotSequenceNr, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new CheckpointReader(journal, persistenceId, manifest, snapshotSequenceNr, timeout));

    private void OnChunk(IPersistentRepresentation persistent)
    {
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

        Finish(new Loaded(chunks));
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

    /// <summary>Every chunk of the image, in order, verified.</summary>
    public sealed record Loaded(IReadOnlyList<ReadOnlyMemory<byte>> Chunks);

    /// <summary>The checkpoint could not be read; the reason says which part and why.</summary>
    public sealed record Failed(string Reason);
}
