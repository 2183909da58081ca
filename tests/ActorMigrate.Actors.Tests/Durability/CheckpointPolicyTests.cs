using ActorMigrate.Actors.Configuration;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// When checkpoints are written: every interval, and — with a journal ratio — only once the rounds
/// journaled since the last one hold that multiple of the state, so a large state is not rewritten
/// every interval for a few pages of change.
/// </summary>
public sealed class CheckpointPolicyTests
{
    /// <summary>Round 1 writes 24 pages, rounds 2..21 one page each; a checkpoint is due every round. Returns the checkpoints written.</summary>
    private static async Task<long> CheckpointsWritten(double ratio)
    {
        using var database = new TempDatabase();
        var rounds = new CanisterRounds(seed: 5, sizeInPages: 2);
        await using var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path));
        var actor = node.StableMemory("rrkah-fqaaa-aaaaa-aaaaq-cai",
            node.Settings(snapshotIntervalRounds: 1) with { CheckpointJournalRatio = ratio, CompactAfterCheckpoint = false });
        await node.PersistAll(actor, [rounds.Next(1, dirtyPages: 24), .. Enumerable.Range(2, 20).Select(r => rounds.Next(r, dirtyPages: 1))]);
        rounds.AssertMatches(await node.State(actor)); // answered after the last checkpoint's chunks are durable
        return database.Execute("SELECT count(*) FROM journal WHERE manifest = 'C'"); // one chunk per checkpoint here
    }

    [Fact]
    public async Task Without_a_ratio_every_interval_writes_a_checkpoint()
    {
        Assert.Equal(21, await CheckpointsWritten(ratio: 0));
    }

    [Fact]
    public async Task With_a_ratio_of_one_a_checkpoint_waits_until_the_rounds_since_the_last_hold_as_much_as_the_state()
    {
        // Round 1 journals the whole state (24 pages), so it is checkpointed; the next 20 rounds journal
        // about 20 pages, less than the state's 24 or more: no second checkpoint yet.
        Assert.Equal(1, await CheckpointsWritten(ratio: 1.0));
    }
}
