using ActorMigrate.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;

namespace ActorMigrate.Actors.Tests;

/// <summary>A subnet's persistence on Akka.Persistence.TestKit's journal and snapshot store, whose writes a test can fail, reject or hold.</summary>
internal static class TestJournalSubnet
{
    public static Config Config => ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
        akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.test"
        akka.persistence.snapshot-store.test.class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
        akka.persistence.snapshot-store.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        """).WithFallback(ActorMigratePersistence.Config(PersistenceJournal.InMemory));

    public static ITestJournal Journal(ActorSystem system) => TestJournal.FromRef(Persistence.Instance.Apply(system).JournalFor(null));
}
