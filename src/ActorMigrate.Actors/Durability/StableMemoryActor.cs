using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// One canister's durable state (DESIGN.md §3): a child of its CanisterActor that turns each
/// <see cref="PersistRound"/> into ONE journal event (pages + metadata + heap image), so a crash keeps a
/// round whole or not at all, and every <see cref="StableMemorySettings.SnapshotIntervalRounds"/> rounds
/// writes a chunked checkpoint (CHECKPOINTS.md) so recovery does not replay history.
/// </summary>
/// <remarks>
/// Rounds are journaled with PersistAsync, so rounds that arrive while one is being written go to the
/// journal together in its next write (one SQLite transaction for all of them: the SQL plugin's
/// per-write cost is most of a SQLite round). The state therefore takes a round when it arrives — the
/// next round's page runs are diffed against it — and is ahead of the journal by the rounds being
/// written; each is acknowledged (<see cref="RoundDurable"/>) only once written. Nothing of a round
/// that failed is ever visible: a failed write stops the actor with that state. A checkpoint images a
/// state the journal has caught up with: it waits for the rounds in flight, holding new ones back
/// meanwhile (<see cref="AfterJournalCatchesUp"/>). Supervision is explicit: a failed or rejected write, a failed recovery
/// or an unreadable checkpoint answers the round with <see cref="RoundNotDurable"/> (when there is one),
/// reports <see cref="StableMemoryFailed"/> to the parent and on the EventStream, and stops the actor.
/// It never restarts by itself: a restart would silently carry on without the pages it lost.
/// </remarks>
public sealed class StableMemoryActor : ReceivePersistentActor
{
    private readonly string canisterId;
    private readonly StableMemorySettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();

    private CanisterDurableState state = new();
    private int roundsSinceCheckpoint;

    /// <summary>A checkpoint is being built or its chunks written: the next one waits for it.</summary>
    private bool checkpointing;
    private long journaledSinceCheckpoint;

    /// <summary>Rounds sent to the journal and not yet confirmed, oldest first, with whom to tell.</summary>
    private readonly Queue<(long Round, IActorRef ReplyTo)> inFlight = new();

    /// <summary>Work that needs the journal caught up (no round in flight); new rounds wait behind it.</summary>
    private Action? afterCatchUp;

    // Recovery from a checkpoint: the manifest Akka offered and the round events replayed after it,
    // applied once the chunks are loaded.
    private (CheckpointManifest Manifest, long SequenceNr)? offered;
    private readonly List<RoundPersisted> replayedAfterCheckpoint = [];

    public StableMemoryActor(string canisterId, StableMemorySettings settings)
    {
        this.canisterId = canisterId;
        this.settings = settings;
        PersistenceId = PersistenceIdFor(canisterId);
        if (settings.JournalPluginId is { } journal)
        {
            JournalPluginId = journal;
        }

        if (settings.SnapshotPluginId is { } snapshots)
        {
            SnapshotPluginId = snapshots;
        }

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not CheckpointManifest manifest)
            {
                throw new CorruptCheckpointException(
                    $"snapshot at sequence number {offer.Metadata.SequenceNr} of {PersistenceId} is a {offer.Snapshot.GetType().Name}, not a {nameof(CheckpointManifest)}");
            }

            offered = (manifest, offer.Metadata.SequenceNr);
        });
        Recover<RoundPersisted>(round =>
        {
            if (offered is null)
            {
                state.Apply(round);
            }
            else
            {
                replayedAfterCheckpoint.Add(round);
            }

            roundsSinceCheckpoint++;
            journaledSinceCheckpoint += round.JournaledBytes;
        });
        // Chunks replayed here belong to a checkpoint whose manifest was never saved (or is older than
        // the one offered): they copy state the round events already give, so they are skipped.
        Recover<CheckpointChunk>(_ => { });
        Recover<RecoveryCompleted>(_ =>
        {
            if (offered is { } checkpoint)
            {
                Context.ActorOf(
                    CheckpointReader.Props(Journal, PersistenceId, checkpoint.Manifest, checkpoint.SequenceNr, settings.CheckpointLoadTimeout),
                    "checkpoint-reader");
                Become(LoadingCheckpoint);
            }
            else
            {
                Become(Ready);
            }
        });
    }

    public override string PersistenceId { get; }

    /// <summary>The persistence id of <paramref name="canisterId"/>'s stable memory.</summary>
    public static string PersistenceIdFor(string canisterId) => $"canister/{canisterId}/stable-memory";

    public static Props Props(string canisterId, StableMemorySettings settings) =>
        Akka.Actor.Props.Create(() => new StableMemoryActor(canisterId, settings));

    private void LoadingCheckpoint()
    {
        Command<CheckpointReader.Loaded>(loaded =>
        {
            var (manifest, _) = offered!.Value;
            try
            {
                state = CheckpointImage.Read(loaded.Chunks, manifest.Round);
                foreach (var round in loaded.RoundsBeforeChunks)
                {
                    roundsSinceCheckpoint++;
                    journaledSinceCheckpoint += round.JournaledBytes;
                }

                foreach (var round in loaded.RoundsBeforeChunks.Concat(replayedAfterCheckpoint))
                {
                    if (!CanisterDurableState.Follows(round.Round, round.BetweenRounds, manifest.Round))
                    {
                        throw new CorruptCheckpointException(
                            $"round {round.Round} is journaled after the checkpoint of round {manifest.Round}");
                    }

                    state.Apply(round);
                }
            }
            catch (CorruptCheckpointException e)
            {
                FailAndStop(e.Message, null);
                return;
            }

            log.Debug("{0}: loaded the checkpoint of round {1} and {2} later rounds", PersistenceId, manifest.Round,
                loaded.RoundsBeforeChunks.Count + replayedAfterCheckpoint.Count);
            replayedAfterCheckpoint.Clear();
            offered = null;
            Become(Ready);
            Stash.UnstashAll();
        });
        Command<CheckpointReader.Failed>(failed => FailAndStop(failed.Reason, null));
        CommandAny(_ => Stash.Stash());
    }

    private void Ready()
    {
        Command<PersistRound>(OnPersistRound);
        Command<GetDurableState>(_ =>
        {
            try
            {
                Sender.Tell(state.ToDurableState(canisterId));
            }
            catch (CorruptCheckpointException e)
            {
                FailAndStop(e.Message, state.LastRound);
            }
        });
        // Its chunks take the sequence numbers after the rounds written meanwhile: they wait for those.
        Command<CheckpointBuilt>(built => AfterJournalCatchesUp(() => OnCheckpointBuilt(built)));
        Command<JournalCaughtUp>(_ => OnJournalCaughtUp());
        Command<SaveSnapshotSuccess>(OnCheckpointSaved);
        // The round events stay in the journal until a manifest is saved, so a lost manifest costs only
        // recovery time: the next interval writes a new checkpoint.
        Command<SaveSnapshotFailure>(f => log.Warning("{0}: saving the checkpoint manifest at sequence number {1} failed: {2}",
            PersistenceId, f.Metadata.SequenceNr, Describe(f.Cause)));
        Command<DeleteMessagesSuccess>(d => log.Debug("{0}: journal events up to sequence number {1} deleted", PersistenceId, d.ToSequenceNr));
        // A failed compaction loses nothing: the events stay, and the next checkpoint deletes them.
        Command<DeleteMessagesFailure>(f => log.Warning("{0}: deleting journal events up to sequence number {1} failed: {2}",
            PersistenceId, f.ToSequenceNr, Describe(f.Cause)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => log.Warning("{0}: deleting older checkpoint manifests failed: {1}", PersistenceId, Describe(f.Cause)));
    }

    private void OnPersistRound(PersistRound command)
    {
        if (afterCatchUp is not null)
        {
            Stash.Stash();
            return;
        }

        if (state.Check(command) is { } invalid)
        {
            Sender.Tell(new RoundNotDurable(command.Round, invalid));
            return;
        }

        var round = state.Record(command);
        inFlight.Enqueue((round.Round, Sender));
        PersistAsync(round, written =>
        {
            var (_, replyTo) = inFlight.Dequeue();
            replyTo.Tell(new RoundDurable(written.Round));
            roundsSinceCheckpoint++;
            journaledSinceCheckpoint += written.JournaledBytes;
            if (!checkpointing && CheckpointDue())
            {
                checkpointing = true;
                AfterJournalCatchesUp(StartCheckpoint);
            }
            else if (inFlight.Count == 0 && afterCatchUp is not null)
            {
                Self.Tell(JournalCaughtUp.Instance);
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="then"/> once no round is in flight, as a command of its own: the chunks it may
    /// persist must not be persisted from a PersistAsync handler (Akka then never unstashed later commands).
    /// </summary>
    private void AfterJournalCatchesUp(Action then)
    {
        afterCatchUp = then;
        if (inFlight.Count == 0)
        {
            Self.Tell(JournalCaughtUp.Instance);
        }
    }

    private void OnJournalCaughtUp()
    {
        if (afterCatchUp is { } then && inFlight.Count == 0)
        {
            afterCatchUp = null;
            then();
            Stash.UnstashAll();
        }
    }

    private sealed record JournalCaughtUp
    {
        public static readonly JournalCaughtUp Instance = new();
    }

    /// <summary>
    /// Compaction: the manifest at F+k-1 is durable, so recovery starts from it and never reads what
    /// precedes its chunks — the round events up to S (which the checkpoint images) and older
    /// checkpoints. Deleting them keeps the journal bounded (CHECKPOINTS.md).
    /// </summary>
    private void OnCheckpointSaved(SaveSnapshotSuccess saved)
    {
        log.Debug("{0}: checkpoint manifest saved at sequence number {1}", PersistenceId, saved.Metadata.SequenceNr);
        if (!settings.CompactAfterCheckpoint || !checkpointsBeingSaved.Remove(saved.Metadata.SequenceNr, out var roundSequenceNr))
        {
            return;
        }

        DeleteMessages(roundSequenceNr);
        DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
    }

    /// <summary>Manifest sequence number (F+k-1) → sequence number S of the round its checkpoint images.</summary>
    private readonly Dictionary<long, long> checkpointsBeingSaved = [];

    /// <summary>
    /// Every interval, once the rounds journaled since the last checkpoint hold the ratio's share of the
    /// state: a checkpoint writes the whole state, so at a fixed interval a large canister (1M accounts:
    /// ~700 MiB per checkpoint) spent most of its time checkpointing; this way checkpoint writing stays
    /// proportional to round writing, and recovery still replays at most about ratio × the state.
    /// </summary>
    private bool CheckpointDue() =>
        settings.SnapshotIntervalRounds > 0 && roundsSinceCheckpoint >= settings.SnapshotIntervalRounds &&
        journaledSinceCheckpoint >= settings.CheckpointJournalRatio * state.ImageBytesEstimate;

    /// <summary>
    /// Freezes the state after the round just journaled (its event is at <see cref="Eventsourced.LastSequenceNr"/>)
    /// and builds its image: between two rounds for a small state, so its chunks follow the round directly;
    /// on a thread of its own for a large one (at least <see cref="StableMemorySettings.BackgroundCheckpointBytes"/>),
    /// while the next rounds are journaled — building a 1M-account image (~700 MiB: heap deltas merged, pages
    /// sorted, copied and hashed) takes seconds, which every round waited for. Either way
    /// <see cref="OnCheckpointBuilt"/> writes the chunks; no other checkpoint starts until they are written.
    /// </summary>
    private void StartCheckpoint()
    {
        roundsSinceCheckpoint = 0;
        journaledSinceCheckpoint = 0;
        var background = state.ImageBytesEstimate >= settings.BackgroundCheckpointBytes;
        var source = state.Freeze();
        var roundSequenceNr = LastSequenceNr;
        var chunkBytes = settings.CheckpointChunkBytes;
        if (!background)
        {
            OnCheckpointBuilt(CheckpointBuilt.Of(source, roundSequenceNr, chunkBytes));
            return;
        }

        // A thread of its own (LongRunning), not a pool worker: the build takes seconds, and the actors'
        // dispatcher runs on the pool.
        var self = Self;
        _ = Task.Factory.StartNew(() => self.Tell(CheckpointBuilt.Of(source, roundSequenceNr, chunkBytes)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// The image is built: its chunks go to the journal behind whatever rounds were journaled meanwhile
    /// (recovery applies those after the image: the manifest names the imaged round's sequence number).
    /// </summary>
    private void OnCheckpointBuilt(CheckpointBuilt built)
    {
        var round = built.Source.Round;
        if (built.Image is not { } image)
        {
            checkpointing = false;
            FailAndStop($"checkpoint of round {round} cannot be written: {built.Failure}", round);
            return;
        }

        state.AdoptMergedHeap(built.Source, image.MergedHeap);
        var first = LastSequenceNr + 1;
        var chunks = image.Chunks;
        var events = chunks.Select((bytes, index) => new CheckpointChunk(round, index, chunks.Count, bytes)).ToList();
        PersistChunks(events, 0, new CheckpointManifest(round, first, chunks.Count, image.Length, image.Sha256, built.RoundSequenceNr));
    }

    /// <summary>A checkpoint image built (or not) from <paramref name="Source"/>, the state after the round at <paramref name="RoundSequenceNr"/>.</summary>
    private sealed record CheckpointBuilt(CheckpointSource Source, long RoundSequenceNr, CheckpointImage.Built? Image, string? Failure)
    {
        public static CheckpointBuilt Of(CheckpointSource source, long roundSequenceNr, int chunkBytes)
        {
            try
            {
                return new(source, roundSequenceNr, CheckpointImage.Write(source, chunkBytes), null);
            }
            catch (CorruptCheckpointException e)
            {
                return new(source, roundSequenceNr, null, e.Message);
            }
        }
    }

    /// <summary>
    /// Persists the chunks from <paramref name="from"/> on, at most <see cref="StableMemorySettings.CheckpointWriteBytes"/>
    /// per journal write; the next write starts from the handler of this one's last chunk. One write of
    /// every chunk is one journal call under the journal's call timeout (10 s): a 360 MiB image (1M
    /// accounts) cannot be written in it on SQLite, and its failure stopped the canister. A nested
    /// Persist keeps commands stashed, so nothing comes between two chunks. Once the last is durable, the
    /// manifest is saved as the snapshot at its sequence number.
    /// </summary>
    private void PersistChunks(List<CheckpointChunk> events, int from, CheckpointManifest manifest)
    {
        var to = from + 1;
        var bytes = (long)events[from].Bytes.Length;
        while (to < events.Count && bytes + events[to].Bytes.Length <= settings.CheckpointWriteBytes)
        {
            bytes += events[to++].Bytes.Length;
        }

        var next = to;
        PersistAll(events.GetRange(from, to - from), chunk =>
        {
            if (chunk.Index == next - 1 && next < events.Count)
            {
                PersistChunks(events, next, manifest);
                return;
            }

            if (chunk.Index == chunk.Count - 1)
            {
                checkpointing = false;
                var last = manifest.FirstChunkSequenceNr + chunk.Count - 1;
                if (LastSequenceNr != last)
                {
                    log.Error("{0}: checkpoint of round {1} expected its chunks at {2}..{3} but the last is at {4}; no manifest saved",
                        PersistenceId, manifest.Round, manifest.FirstChunkSequenceNr, last, LastSequenceNr);
                    return;
                }

                checkpointsBeingSaved[LastSequenceNr] = manifest.ImagedRoundSequenceNr;
                SaveSnapshot(manifest);
            }
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Akka stops the actor after this returns.
        ReportWriteProblem("failed", cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // Akka would carry on after a rejection; a canister must not (its next round would build on a
        // state the journal does not have).
        ReportWriteProblem("was rejected", cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        // Akka stops the actor after this returns.
        var at = message is null ? "" : $" at a {message.GetType().Name}";
        Report($"recovery of {PersistenceId} failed{at}: {Describe(reason)}", null);
    }

    private void ReportWriteProblem(string what, Exception cause, object @event, long sequenceNr)
    {
        switch (@event)
        {
            case RoundPersisted round:
                var reason = $"journal write of round {round.Round} (sequence number {sequenceNr}) {what}: {Describe(cause)}";
                if (inFlight.TryPeek(out var pending) && pending.Round == round.Round)
                {
                    pending.ReplyTo.Tell(new RoundNotDurable(round.Round, reason));
                }

                Report(reason, round.Round);
                break;
            case CheckpointChunk chunk:
                Report($"journal write of checkpoint chunk {chunk.Index} of round {chunk.Round} (sequence number {sequenceNr}) {what}: " +
                    $"{Describe(cause)}; round {chunk.Round} itself is durable", chunk.Round);
                break;
            default:
                Report($"journal write of {@event.GetType().Name} (sequence number {sequenceNr}) {what}: {Describe(cause)}", null);
                break;
        }
    }

    private void FailAndStop(string reason, long? round)
    {
        Report(reason, round);
        Context.Stop(Self);
    }

    private void Report(string reason, long? round)
    {
        log.Error("{0}: {1}", PersistenceId, reason);
        var failed = new StableMemoryFailed(canisterId, reason, round);
        Context.Parent.Tell(failed);
        Context.System.EventStream.Publish(failed);
    }

    /// <summary>An exception and its causes in one line: the cause of a journal error is usually inside.</summary>
    internal static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } && e.InnerException is not null)
            {
                continue;
            }

            parts.Add($"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" <- ", parts);
    }
}
