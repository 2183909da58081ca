using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using Akka.Actor;
using Akka.Configuration;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// An ActorSystem built from <see cref="ActorMigratePersistence.Config(PersistenceJournal?)"/>, as a
/// process of the simulator would run one: start it, talk to StableMemoryActors, terminate it, start
/// another on the same journal.
/// </summary>
internal sealed class DurableNode : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private DurableNode(ActorSystem system) => System = system;

    public ActorSystem System { get; }

    public static DurableNode Start(PersistenceJournal journal, string? extraHocon = null)
    {
        var config = ActorMigratePersistence.Config(journal);
        if (extraHocon is not null)
        {
            config = ConfigurationFactory.ParseString(extraHocon).WithFallback(config);
        }

        config = ConfigurationFactory.ParseString(Environment.GetEnvironmentVariable("ACTORMIGRATE_TEST_HOCON") ?? "").WithFallback(config);
        return new DurableNode(ActorSystem.Create("node-" + Guid.NewGuid().ToString("N")[..8], ActorMigratePersistence.Setup(config)));
    }

    public StableMemorySettings Settings(int snapshotIntervalRounds = 0, int chunkBytes = 1 << 20) =>
        StableMemorySettings.FromConfig(System.Settings.Config) with
        {
            SnapshotIntervalRounds = snapshotIntervalRounds,
            CheckpointJournalRatio = 0, // a checkpoint at each interval, whatever the sizes
            CheckpointChunkBytes = chunkBytes,
        };

    public IActorRef StableMemory(string canisterId, StableMemorySettings settings) =>
        System.ActorOf(StableMemoryActor.Props(canisterId, settings));

    public static Task<object> Ask(IActorRef actor, object message) => actor.Ask<object>(message, Timeout);

    public async Task<DurableState> State(IActorRef actor) => await actor.Ask<DurableState>(GetDurableState.Instance, Timeout);

    public async Task PersistAll(IActorRef actor, IEnumerable<PersistRound> rounds)
    {
        foreach (var round in rounds)
        {
            var reply = await Ask(actor, round);
            Assert.Equal(new RoundDurable(round.Round), reply);
        }
    }

    public async ValueTask DisposeAsync() => await System.Terminate();
}
