using System.Runtime.CompilerServices;
using ActorMigrate.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// The in-memory journal frees what a persistent actor deletes (Akka's own only hides it), and keeps
/// the journal protocol: a later incarnation replays only what is left and goes on numbering after the
/// highest sequence number ever written.
/// </summary>
public sealed class CompactingMemoryJournalTests() : Akka.TestKit.Xunit2.TestKit(JournalConfig)
{
    // The in-memory journal exactly as ActorMigratePersistence configures it.
    private static Config JournalConfig => ConfigurationFactory.ParseString("akka.test.single-expect-default = 15s")
        .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.InMemory));

    private sealed record Delete(long ToSequenceNr);

    private sealed record Recovered(long LastSequenceNr, IReadOnlyList<int> Replayed);

    /// <summary>Persists byte arrays, deletes on request, and reports its recovery to the probe.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string id, IActorRef probe)
        {
            PersistenceId = id;
            var replayed = new List<int>();
            Recover<byte[]>(bytes => replayed.Add(bytes.Length));
            Recover<RecoveryCompleted>(_ => probe.Tell(new Recovered(LastSequenceNr, replayed)));
            Command<byte[]>(bytes => Persist(bytes, _ => probe.Tell(LastSequenceNr)));
            Command<Delete>(delete => DeleteMessages(delete.ToSequenceNr));
            Command<DeleteMessagesSuccess>(probe.Tell);
            Command<DeleteMessagesFailure>(probe.Tell);
        }

        public override string PersistenceId { get; }
    }

    private IActorRef Start(string id) => Sys.ActorOf(Props.Create(() => new Writer(id, TestActor)));

    /// <summary>Persists an event of <paramref name="length"/> bytes and returns a weak reference to it (no strong one survives).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference PersistEvent(IActorRef writer, int length)
    {
        var bytes = new byte[length];
        writer.Tell(bytes);
        ExpectMsg<long>();
        return new WeakReference(bytes);
    }

    [Fact]
    public void Deleted_events_are_freed_and_the_ones_after_them_kept()
    {
        var writer = Start("compacting-frees");
        ExpectMsg<Recovered>();
        var deleted = new[] { PersistEvent(writer, 1_000_000), PersistEvent(writer, 1_000_001) };
        var kept = PersistEvent(writer, 1_000_002);

        writer.Tell(new Delete(2));
        ExpectMsg<DeleteMessagesSuccess>();

        AwaitCondition(() =>
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            return deleted.All(r => !r.IsAlive);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.True(kept.IsAlive, "an event after the deleted ones was freed too");
    }

    [Fact]
    public void After_a_deletion_a_new_incarnation_replays_what_is_left_and_numbers_on_from_the_highest()
    {
        var writer = Start("compacting-recovers");
        ExpectMsg<Recovered>();
        for (var length = 1; length <= 5; length++)
        {
            writer.Tell(new byte[length]);
            ExpectMsg<long>();
        }

        writer.Tell(new Delete(3));
        ExpectMsg<DeleteMessagesSuccess>();
        Watch(writer);
        Sys.Stop(writer);
        ExpectTerminated(writer);

        var again = Start("compacting-recovers");
        var recovered = ExpectMsg<Recovered>();
        Assert.Equal(5, recovered.LastSequenceNr);
        Assert.Equal([4, 5], recovered.Replayed);
        again.Tell(new byte[6]);
        Assert.Equal(6, ExpectMsg<long>());

        again.Tell(new Delete(long.MaxValue));
        ExpectMsg<DeleteMessagesSuccess>();
        Watch(again);
        Sys.Stop(again);
        ExpectTerminated(again);
        Start("compacting-recovers");
        var emptied = ExpectMsg<Recovered>();
        Assert.Equal(6, emptied.LastSequenceNr);
        Assert.Empty(emptied.Replayed);
    }
}
