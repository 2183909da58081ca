using ActorMigrate.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;

namespace ActorMigrate.Actors.Tests;

/// <summary>Persistence on Akka.Persistence.TestKit's journal and snapshot store, whose writes a test can fail, reject or hold.</summary>
internal static class TestKitJournal
{
    public static Config Config => ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
        akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.test"
        akka.persistence.snapshot-store.test.class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
        akka.persistence.snapshot-store.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        """).WithFallback(ActorMigratePersistence.Config(PersistenceJournal.InMemory));

    public static ITestJournal Of(ActorSystem system) => TestJournal.FromRef(Persistence.Instance.Apply(system).JournalFor(null));
}
