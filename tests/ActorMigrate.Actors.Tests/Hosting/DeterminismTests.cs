using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Actor;

namespace ActorMigrate.Actors.Tests;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_same_seed_and_script_give_the_same_trace_on_the_actors_as_on_the_bare_engine(int seed)
    {
        var engine = new EngineHarness(new SubnetSettings { Seed = (ulong)seed });
        var engineCanisters = LedgerScript.Run(engine, seed, 150);

        using var actors = new ActorHarness(SubnetActorSettings.Volatile(new SubnetSettings { Seed = (ulong)seed }));
        var actorCanisters = LedgerScript.Run(actors, seed, 150);

        Assert.Equal(engineCanisters, actorCanisters);
        Assert.Equal(engine.Subnet.Trace.Count, actors.Read(s => s.Trace.Count));
        Assert.Equal(engine.TraceHash, actors.TraceHash);
        Assert.Equal(engine.Round, actors.Round);
        foreach (var canister in engineCanisters)
        {
            Assert.Equal(engine.StableMemoryImage(canister), actors.StableMemoryImage(canister));
            Assert.Equal(engine.Report(canister), actors.Report(canister), ReportComparer.Instance);
        }
    }

    [Fact]
    public void A_durable_subnet_gives_the_same_trace_as_the_bare_engine()
    {
        var engine = new EngineHarness(new SubnetSettings { Seed = 9 });
        LedgerScript.Run(engine, 9, 100);

        using var system = ActorSystem.Create("durable-determinism", ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        using var actors = new ActorHarness(SubnetActorSettings.FromConfig(system.Settings.Config, new SubnetSettings { Seed = 9 }), system);
        LedgerScript.Run(actors, 9, 100);

        Assert.Equal(engine.TraceHash, actors.TraceHash);
    }

    [Fact]
    public void Another_seed_gives_another_trace_on_the_actors()
    {
        using var a = new ActorHarness(SubnetActorSettings.Volatile(new SubnetSettings { Seed = 1 }));
        using var b = new ActorHarness(SubnetActorSettings.Volatile(new SubnetSettings { Seed = 2 }));
        LedgerScript.Run(a, 1, 40);
        LedgerScript.Run(b, 2, 40);

        Assert.NotEqual(a.TraceHash, b.TraceHash);
    }
}

/// <summary>Reports compared field by field (the log is a list: compared by content).</summary>
internal sealed class ReportComparer : IEqualityComparer<CanisterReport>
{
    public static readonly ReportComparer Instance = new();

    public bool Equals(CanisterReport? x, CanisterReport? y) =>
        x is not null && y is not null && (x with { Log = [] }) == (y with { Log = [] }) && x.Log.SequenceEqual(y.Log);

    public int GetHashCode(CanisterReport obj) => 0;
}
