using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Persistence;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// Rounds journal heap deltas (a whole image only for a new heap instance), and checkpoints compact the
/// journal: a canister recovered from a checkpoint, the deltas after it and nothing before it has the
/// heap, stable memory and timers of its last durable round.
/// </summary>
public sealed class HeapDeltaRecoveryTests() : Akka.TestKit.Xunit2.TestKit(ActorMigratePersistence.Config(PersistenceJournal.InMemory))
{
    private SubnetActorSettings Durable(int checkpointEvery) => CheckpointingSubnet.Every(Sys.Settings.Config, checkpointEvery);

    /// <summary>Every event journaled for the canister's stable memory that the journal still holds.</summary>
    private List<(long SequenceNr, object Payload)> Journal(Principal canister)
    {
        var journal = Persistence.Instance.Apply(Sys).JournalFor(null);
        journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, StableMemoryActor.PersistenceIdFor(canister.Text), TestActor), TestActor);
        var events = new List<(long, object)>();
        while (true)
        {
            switch (ExpectMsg<object>(TimeSpan.FromSeconds(10)))
            {
                case ReplayedMessage replayed:
                    events.Add((replayed.Persistent.SequenceNr, replayed.Persistent.Payload));
                    break;
                case RecoverySuccess:
                    return events;
            }
        }
    }

    private static IEnumerable<Action<ActorHarness, Principal>> Rounds(int from, int count) =>
        Enumerable.Range(from, count).SelectMany(i => new Action<ActorHarness, Principal>[]
        {
            (ic, id) => ic.Update<ulong>(id, "deposit_later", (100L * (i % 5), (ulong)i)), // ordered-map upserts
            (ic, _) => ic.AdvanceTime(TimeSpan.FromMilliseconds(150)),
            (ic, _) => ic.Tick(1), // timers due fire: ordered-map deletes; the heartbeat counter moves
        });

    [Fact]
    public void A_canister_recovered_from_a_compacted_journal_of_checkpoints_and_heap_deltas_equals_one_that_never_stopped()
    {
        var modules = new ModuleRegistry(new LedgerModule());
        var reference = new ActorHarness(SubnetActorSettings.Volatile(), Sys, "delta-reference", modules);
        var crashing = new ActorHarness(Durable(checkpointEvery: 4), Sys, "delta-durable", modules);
        var a = reference.CreateAndInstall(new LedgerModule());
        var b = crashing.CreateAndInstall(new LedgerModule());
        var script = new List<Action<ActorHarness, Principal>> { (ic, id) => ic.Update<bool>(id, "beat", true) };
        script.AddRange(Rounds(0, 8));
        script.Add((ic, id) => ic.TryInstallCode(id, InstallMode.Upgrade, new LedgerModule())); // a new heap instance: a whole image
        script.AddRange(Rounds(8, 8));
        foreach (var step in script)
        {
            step(reference, a);
            step(crashing, b);
        }

        var expected = reference.Read(s => ModuleStateRecoveryTests.Fingerprint(s, a));
        Assert.Equal(expected, crashing.Read(s => ModuleStateRecoveryTests.Fingerprint(s, b)));
        Watch(crashing.Subnet);
        crashing.Dispose();
        ExpectTerminated(crashing.Subnet);

        var events = Journal(b);
        var rounds = events.Select(e => e.Payload).OfType<RoundPersisted>().ToList();
        Assert.Contains(rounds, r => r.HeapDelta is not null);
        Assert.All(rounds, r => Assert.False(r.HeapImage is not null && r.HeapDelta is not null));
        Assert.True(events[0].SequenceNr > 1, $"the journal still starts at sequence number {events[0].SequenceNr}: nothing was compacted");
        Assert.True(events.Count(e => e.Payload is RoundPersisted) <= 4, $"{rounds.Count} rounds kept; a checkpoint every 4 keeps at most 4");

        var recovered = new ActorHarness(Durable(checkpointEvery: 4), Sys, "delta-durable", modules);
        Assert.Equal(expected, recovered.Read(s => ModuleStateRecoveryTests.Fingerprint(s, b)));
        foreach (var step in Rounds(16, 3))
        {
            step(reference, a);
            step(recovered, b);
        }

        Assert.Equal(reference.Read(s => ModuleStateRecoveryTests.Fingerprint(s, a)), recovered.Read(s => ModuleStateRecoveryTests.Fingerprint(s, b)));
        reference.Dispose();
        recovered.Dispose();
    }
}
