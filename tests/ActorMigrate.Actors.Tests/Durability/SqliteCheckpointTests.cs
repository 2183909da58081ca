using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using Akka.Actor;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// Checkpoints on a real SQLite file: written by one ActorSystem, read by the next, with an image of
/// several chunks; and what a damaged journal row does to recovery.
/// </summary>
public sealed class SqliteCheckpointTests
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Rounds 1..5 with a checkpoint after round 3 (interval 3): journal rows 1..3 are rounds, then the
    /// image's chunks, then rounds 4 and 5; once the manifest is saved, rows 1..3 are deleted (compaction).
    /// Returns the model and the number of chunks.
    /// </summary>
    private static async Task<(CanisterRounds Rounds, long Chunks)> WriteFiveRoundsWithACheckpoint(TempDatabase database, string canister,
        long writeBytes = StableMemorySettings.DefaultCheckpointWriteBytes)
    {
        var rounds = new CanisterRounds(seed: 21, sizeInPages: 1);
        await using var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path));
        var actor = node.StableMemory(canister, node.Settings(snapshotIntervalRounds: 3, chunkBytes: ChunkBytes) with { CheckpointWriteBytes = writeBytes });
        await node.PersistAll(actor, [
            rounds.Next(1, dirtyPages: 4, withHeapImage: true),
            rounds.Next(2, dirtyPages: 4),
            rounds.Next(3, dirtyPages: 4, growPages: 1),
            rounds.Next(4, dirtyPages: 2),
            rounds.Next(5, dirtyPages: 2, withHeapImage: true),
        ]);
        // The manifest is saved after round 3's reply is out: wait for it (bounded).
        for (var i = 0; i < 500 && database.Execute("SELECT count(*) FROM snapshot") == 0; i++)
        {
            await Task.Delay(20);
        }

        return (rounds, database.Execute("SELECT coalesce(max(sequence_number), 3) FROM snapshot") - 3);
    }

    /// <summary>Recovers the canister on a new ActorSystem: its DurableState, or the StableMemoryFailed it reported.</summary>
    private static async Task<object> RecoverOrFail(TempDatabase database, string canister)
    {
        await using var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path));
        var outcome = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = node.System.ActorOf(Props.Create(() => new FailureListener(outcome)));
        node.System.EventStream.Subscribe(listener, typeof(StableMemoryFailed));
        var actor = node.StableMemory(canister, node.Settings(snapshotIntervalRounds: 3, chunkBytes: ChunkBytes));
        _ = actor.Ask<DurableState>(GetDurableState.Instance, DurableNode.Timeout)
            .ContinueWith(t => outcome.TrySetResult(t.IsCompletedSuccessfully ? t.Result : t.Exception!), TaskScheduler.Default);
        return await outcome.Task.WaitAsync(DurableNode.Timeout);
    }

    [Theory]
    [InlineData(StableMemorySettings.DefaultCheckpointWriteBytes)] // every chunk in one journal write
    [InlineData(ChunkBytes)] // one chunk per journal write
    [InlineData(2 * ChunkBytes + 1)] // two per write, the last write shorter
    public async Task A_saved_checkpoint_deletes_the_rounds_before_it_and_recovery_needs_only_it_and_the_later_rounds(long writeBytes)
    {
        using var database = new TempDatabase();
        var canister = "ryjl3-tyaaa-aaaaa-aaaba-cai";
        var (rounds, chunks) = await WriteFiveRoundsWithACheckpoint(database, canister, writeBytes);
        Assert.True(chunks >= 3, $"the image should span at least 3 chunks of {ChunkBytes} bytes, it took {chunks}");
        Assert.Equal(1, database.Execute("SELECT count(*) FROM snapshot"));
        Assert.Equal(3 + chunks, database.Execute("SELECT sequence_number FROM snapshot"));
        Assert.True(database.Execute("SELECT max(length(message)) FROM journal WHERE manifest = 'C'") <= ChunkBytes + 21);

        // Compaction follows the manifest: the checkpoint alone must carry rounds 1..3.
        for (var i = 0; i < 500 && database.Execute("SELECT count(*) FROM journal WHERE sequence_number <= 3 AND deleted = 0") > 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, database.Execute("SELECT count(*) FROM journal WHERE sequence_number <= 3 AND deleted = 0"));
        Assert.Equal(chunks + 2, database.Execute("SELECT count(*) FROM journal WHERE deleted = 0")); // the plugin keeps row 3, marked deleted, for the highest sequence number

        var state = Assert.IsType<DurableState>(await RecoverOrFail(database, canister));
        rounds.AssertMatches(state);
    }

    [Fact]
    public async Task A_damaged_checkpoint_chunk_stops_recovery_with_a_clear_error()
    {
        using var database = new TempDatabase();
        var canister = "damaged-chunk";
        await WriteFiveRoundsWithACheckpoint(database, canister);
        database.RewriteEvent(5, bytes =>
        {
            bytes[^1] ^= 0xFF;
            return bytes;
        });

        var failed = Assert.IsType<StableMemoryFailed>(await RecoverOrFail(database, canister));
        Assert.Equal(canister, failed.CanisterId);
        Assert.Contains("checkpoint of round 3", failed.Reason);
        Assert.Contains("SHA-256", failed.Reason);
    }

    [Fact]
    public async Task A_truncated_round_event_stops_recovery_with_an_error_naming_the_field_and_offset()
    {
        using var database = new TempDatabase();
        var canister = "truncated-round";
        await WriteFiveRoundsWithACheckpoint(database, canister);
        var last = database.Execute("SELECT max(sequence_number) FROM journal");
        database.RewriteEvent(last, bytes => bytes[..30]);

        var failed = Assert.IsType<StableMemoryFailed>(await RecoverOrFail(database, canister));
        Assert.Contains("recovery of canister/truncated-round/stable-memory failed", failed.Reason);
        Assert.Contains("corrupt RoundPersisted (30 bytes)", failed.Reason);
        Assert.Contains("at offset", failed.Reason);
    }

    [Fact]
    public async Task An_event_with_an_unknown_manifest_stops_recovery_with_an_error_naming_it()
    {
        using var database = new TempDatabase();
        var canister = "unknown-manifest";
        await WriteFiveRoundsWithACheckpoint(database, canister);
        var last = database.Execute("SELECT max(sequence_number) FROM journal");
        database.RewriteEvent(last, bytes => bytes, manifest: "Z");

        var failed = Assert.IsType<StableMemoryFailed>(await RecoverOrFail(database, canister));
        Assert.Contains("does not know manifest 'Z'", failed.Reason);
    }

    private sealed class FailureListener : ReceiveActor
    {
        public FailureListener(TaskCompletionSource<object> outcome) => Receive<StableMemoryFailed>(f => outcome.TrySetResult(f));
    }
}
