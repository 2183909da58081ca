using ActorMigrate.Actors.Durability;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// Journal faults injected with Akka.Persistence.TestKit's TestJournal: a round that could not be made
/// durable is answered RoundNotDurable, is absent after recovery, and the actor stops and reports.
/// </summary>
public sealed class JournalFaultTests() : Akka.TestKit.Xunit2.TestKit(FaultConfig)
{
    // Generous expectation timeouts: CI machines are shared, and a missed deadline here is not a fault.
    private static Config FaultConfig =>
        ConfigurationFactory.ParseString("akka.test.single-expect-default = 15s").WithFallback(TestKitJournal.Config);

    private ITestJournal Journal => TestKitJournal.Of(Sys);

    private ITestSnapshotStore Snapshots => TestSnapshotStore.FromRef(Persistence.Instance.Apply(Sys).SnapshotStoreFor(null));

    private StableMemorySettings Settings(int snapshotIntervalRounds = 0, int chunkBytes = 1 << 20) =>
        StableMemorySettings.FromConfig(Sys.Settings.Config) with
        {
            SnapshotIntervalRounds = snapshotIntervalRounds,
            CheckpointJournalRatio = 0, // a checkpoint at each interval, whatever the sizes
            CheckpointChunkBytes = chunkBytes,
        };

    private static string NewCanisterId() => "canister-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The actor as the child of <paramref name="parent"/>, watched by the test actor.</summary>
    private IActorRef Start(TestProbe parent, string canisterId, StableMemorySettings settings)
    {
        var actor = parent.ChildActorOf(StableMemoryActor.Props(canisterId, settings));
        Watch(actor);
        return actor;
    }

    private async Task<DurableState> Recover(string canisterId, StableMemorySettings settings)
    {
        var actor = Sys.ActorOf(StableMemoryActor.Props(canisterId, settings));
        return await actor.Ask<DurableState>(GetDurableState.Instance, TimeSpan.FromSeconds(15));
    }

    private void PersistDurably(IActorRef actor, PersistRound round)
    {
        actor.Tell(round, TestActor);
        ExpectMsg(new RoundDurable(round.Round));
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("reject")]
    public async Task A_round_the_journal_fails_or_rejects_is_answered_not_durable_reported_and_absent_after_recovery(string fault)
    {
        var canister = NewCanisterId();
        var rounds = new CanisterRounds(seed: 7);
        var parent = CreateTestProbe();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(StableMemoryFailed));
        var actor = Start(parent, canister, Settings());
        PersistDurably(actor, rounds.Next(1, withHeapImage: true));
        PersistDurably(actor, rounds.Next(2));
        var durable = new CanisterRounds(seed: 7);
        durable.Next(1, withHeapImage: true);
        durable.Next(2);

        await (fault == "fail" ? Journal.OnWrite.Fail() : Journal.OnWrite.Reject());
        actor.Tell(rounds.Next(3, withHeapImage: true, growPages: 1), TestActor);

        var notDurable = ExpectMsg<RoundNotDurable>();
        Assert.Equal(3, notDurable.Round);
        Assert.Contains("round 3", notDurable.Reason);
        Assert.Contains(fault == "fail" ? "failed" : "was rejected", notDurable.Reason);
        var reported = parent.ExpectMsg<StableMemoryFailed>();
        Assert.Equal(new StableMemoryFailed(canister, notDurable.Reason, 3), reported);
        Assert.Equal(reported, events.ExpectMsg<StableMemoryFailed>());
        ExpectTerminated(actor);

        await Journal.OnWrite.Pass();
        durable.AssertMatches(await Recover(canister, Settings()));
    }

    [Fact]
    public async Task A_failed_checkpoint_write_keeps_its_round_durable_but_stops_and_reports()
    {
        var canister = NewCanisterId();
        var rounds = new CanisterRounds(seed: 12);
        var parent = CreateTestProbe();
        var settings = Settings(snapshotIntervalRounds: 2, chunkBytes: 4 * 1024);
        var actor = Start(parent, canister, settings);
        PersistDurably(actor, rounds.Next(1));

        await Journal.OnWrite.FailIf(p => p.Payload is CheckpointChunk);
        PersistDurably(actor, rounds.Next(2, withHeapImage: true));
        var reported = parent.ExpectMsg<StableMemoryFailed>();
        Assert.Equal(2, reported.Round);
        Assert.Contains("checkpoint chunk 0 of round 2", reported.Reason);
        Assert.Contains("round 2 itself is durable", reported.Reason);
        ExpectTerminated(actor);

        await Journal.OnWrite.Pass();
        rounds.AssertMatches(await Recover(canister, settings));
    }

    [Fact]
    public async Task A_failed_recovery_stops_the_actor_and_reports_it()
    {
        var canister = NewCanisterId();
        var rounds = new CanisterRounds(seed: 8);
        var first = Start(CreateTestProbe(), canister, Settings());
        PersistDurably(first, rounds.Next(1));
        Sys.Stop(first);
        ExpectTerminated(first);

        await Journal.OnRecovery.Fail();
        try
        {
            var parent = CreateTestProbe();
            var second = Start(parent, canister, Settings());
            var reported = parent.ExpectMsg<StableMemoryFailed>();
            Assert.Equal(canister, reported.CanisterId);
            Assert.Contains("recovery of " + StableMemoryActor.PersistenceIdFor(canister) + " failed", reported.Reason);
            ExpectTerminated(second);
        }
        finally
        {
            await Journal.OnRecovery.Pass();
        }
    }

    [Fact]
    public async Task Recovery_from_a_checkpoint_does_not_replay_the_rounds_before_it()
    {
        var canister = NewCanisterId();
        var rounds = new CanisterRounds(seed: 9);
        var first = Start(CreateTestProbe(), canister, Settings(snapshotIntervalRounds: 3, chunkBytes: 8 * 1024));
        for (var round = 1; round <= 5; round++)
        {
            PersistDurably(first, rounds.Next(round, dirtyPages: 2, withHeapImage: round == 2));
        }

        Sys.Stop(first);
        ExpectTerminated(first);

        // Any round event up to the checkpoint of round 3 read during recovery fails it.
        await Journal.OnRecovery.FailIf(p => p.Payload is RoundPersisted { Round: <= 3 });
        try
        {
            rounds.AssertMatches(await Recover(canister, Settings(snapshotIntervalRounds: 3, chunkBytes: 8 * 1024)));
        }
        finally
        {
            await Journal.OnRecovery.Pass();
        }
    }

    [Fact]
    public async Task When_the_checkpoint_manifest_cannot_be_saved_recovery_replays_every_round()
    {
        var canister = NewCanisterId();
        var rounds = new CanisterRounds(seed: 10);
        await Snapshots.OnSave.Fail();
        try
        {
            var actor = Start(CreateTestProbe(), canister, Settings(snapshotIntervalRounds: 2, chunkBytes: 4 * 1024));
            for (var round = 1; round <= 5; round++)
            {
                PersistDurably(actor, rounds.Next(round, dirtyPages: 2, withHeapImage: round == 4));
            }

            Sys.Stop(actor);
            ExpectTerminated(actor);
        }
        finally
        {
            await Snapshots.OnSave.Pass();
        }

        rounds.AssertMatches(await Recover(canister, Settings(snapshotIntervalRounds: 2, chunkBytes: 4 * 1024)));
    }

    [Fact]
    public async Task An_invalid_round_is_answered_not_durable_and_the_actor_goes_on()
    {
        var canister = NewCanisterId();
        var rounds = new CanisterRounds(seed: 11);
        var actor = Start(CreateTestProbe(), canister, Settings());
        PersistDurably(actor, rounds.Next(4));

        actor.Tell(new PersistRound(4, 2, [], new byte[] { 1 }), TestActor);
        Assert.Contains("not after the last durable round 4", ExpectMsg<RoundNotDurable>().Reason);
        actor.Tell(new PersistRound(5, 2, [new PageDelta(32, new byte[PageDelta.PageSize])], new byte[] { 1 }), TestActor);
        Assert.Contains("page 32 lies beyond", ExpectMsg<RoundNotDurable>().Reason);
        actor.Tell(new PersistRound(5, 2, [new PageDelta(0, new byte[100])], new byte[] { 1 }), TestActor);
        Assert.Contains("100 bytes", ExpectMsg<RoundNotDurable>().Reason);
        actor.Tell(new PersistRound(5, 1, [], new byte[] { 1 }), TestActor);
        Assert.Contains("shrank", ExpectMsg<RoundNotDurable>().Reason);
        actor.Tell(new PersistRound(5, 2, [], new byte[] { 1 }, HeapDelta: "AMHD\u0001"u8.ToArray()), TestActor);
        Assert.Contains("heap delta, but no heap image is durable", ExpectMsg<RoundNotDurable>().Reason);
        actor.Tell(new PersistRound(5, 2, [], new byte[] { 1 }, HeapImage: new byte[] { 1 }, HeapDelta: new byte[] { 2 }), TestActor);
        Assert.Contains("both a heap image and a heap delta", ExpectMsg<RoundNotDurable>().Reason);

        PersistDurably(actor, rounds.Next(6));
        rounds.AssertMatches(await actor.Ask<DurableState>(GetDurableState.Instance, TimeSpan.FromSeconds(15)));
        rounds.AssertMatches(await Recover(canister, Settings()));
    }
}
