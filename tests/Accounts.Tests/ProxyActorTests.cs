using System.Collections.Concurrent;
using ActorMigrate.Actors.Proxy;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;
using Akka.Actor;
using static Accounts.Tests.Scenario;

namespace Accounts.Tests;

/// <summary>The ProxyActor: progress once per round, counts that match the traffic, a life as long as the heap's, the engine's trace.</summary>
public sealed class ProxyActorTests : IDisposable
{
    private readonly ActorSystem system = ActorSystem.Create("proxy-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ConcurrentQueue<MigrationProgress> published = new();
    private readonly ActorHarness ic;

    public ProxyActorTests()
    {
        var listener = system.ActorOf(Props.Create(() => new Listener(published)));
        system.EventStream.Subscribe(listener, typeof(MigrationProgress));
        ic = new ActorHarness(SubnetActorSettings.Volatile(), system);
    }

    public void Dispose()
    {
        ic.Dispose();
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(ConcurrentQueue<MigrationProgress> into) => Receive<MigrationProgress>(into.Enqueue);
    }

    /// <summary>Events published so far, once the EventStream has delivered everything up to round <paramref name="round"/>.</summary>
    private List<MigrationProgress> PublishedThrough(ulong round)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !published.Any(p => p.Round >= round))
        {
            Thread.Sleep(10);
        }

        return [.. published];
    }

    private IActorRef? ProxyOf(Principal canister)
    {
        var identity = system.ActorSelection($"/user/subnet/{canister.Text}/proxy-*")
            .Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        return identity.Subject;
    }

    private static MigrationProgress AskProgress(IActorRef proxy) =>
        proxy.Ask<MigrationProgress>(GetMigrationProgress.Instance, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();

    /// <summary>A v3 canister part way through a dual-write migration stepped only by the endpoint (no heartbeat), so the pointer is known.</summary>
    private (Principal Id, AccountTraffic Traffic) MigratingPartWay(int accounts, int stepped)
    {
        var (_, id, traffic) = V1WithAccounts(ic, accounts);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.None });
        ic.Update<StepReport>(id, "step_migration", stepped);
        return (id, traffic);
    }

    [Fact]
    public void Progress_is_published_once_per_round_with_the_reads_and_writes_each_store_served()
    {
        var (id, traffic) = MigratingPartWay(accounts: 200, stepped: 60);
        var state = State(ic, id);
        var pointer = Storable.String.Read(state.Pointer);
        var firstRound = ic.Round + 1;

        var principals = new[] { "00000-0", "00001-1", "99999-9", "00002-2", "99998-3" }; // below and above the pointer
        foreach (var principal in principals)
        {
            ic.Update<bool>(id, "put_account", traffic.NewAccount(principal));
        }

        ic.Query<Account?>(id, "get_account", "00000-0");
        ic.Tick(); // a round in which the query's count is published
        var events = PublishedThrough(ic.Round).Where(p => p.Canister == id && p.Round >= firstRound).ToList();

        Assert.Equal(events.Count, events.Select(p => p.Round).Distinct().Count()); // never twice in a round
        Assert.Equal(ic.Round - firstRound + 1, (ulong)events.Count); // and in every round the canister ran
        var last = events[^1];
        var below = principals.Count(p => string.CompareOrdinal(p, pointer) <= 0);
        Assert.InRange(below, 1, principals.Length - 1); // both routes were taken
        // Dual-write: every put writes the heap (the source), and the stable map too at or below the
        // pointer; the query read the heap alone. The step_migration before counted nothing: steps are not traffic.
        Assert.Equal(new StoreTraffic(Reads: 0, Writes: principals.Length), events[^2].Heap);
        Assert.Equal(new StoreTraffic(Reads: 1, Writes: principals.Length), last.Heap);
        Assert.Equal(new StoreTraffic(Reads: 0, Writes: below), last.Stable);
        Assert.Equal(MigrationPhase.Migrating, last.Phase);
        Assert.Equal(60UL, last.Migrated);
        Assert.Equal(state.SourceCountAtStart, last.Total);
        Assert.Equal(state.LargestStepInstructions, last.LargestStepInstructions);
        Assert.Equal(ic.Read(s => s.Settings.Limits.MaxInstructionsPerSlice), last.SliceInstructions);
        Assert.Equal(last, AskProgress(ProxyOf(id)!));
    }

    [Fact]
    public void An_upgrade_stops_the_proxy_actor_with_the_heap_and_post_upgrade_gets_a_new_one()
    {
        var (id, traffic) = MigratingPartWay(accounts: 120, stepped: 30);
        var before = ProxyOf(id);
        Assert.NotNull(before);
        traffic.Run(ic, id, 5);
        var watcher = Inbox.Create(system);
        watcher.Watch(before);

        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.None });

        Assert.IsType<Terminated>(watcher.Receive(TimeSpan.FromSeconds(10)));
        var after = ProxyOf(id);
        Assert.NotNull(after);
        Assert.NotEqual(before, after);
        var progress = AskProgress(after);
        Assert.Equal(MigrationPhase.Migrating, progress.Phase); // the migration resumed in post_upgrade's heap ...
        Assert.Equal(new StoreTraffic(0, 0), progress.Heap); // ... and the counters started with it

        ic.Downgrade(id, new AccountsV2());
        Assert.Null(ProxyOf(id)); // v2 migrates nothing: no ProxyActor
        traffic.AssertSame(ic, id);
    }

    [Fact]
    public void A_migration_through_the_proxy_actor_gives_the_bare_engines_trace_hash()
    {
        string Script(ICanisterHarness harness)
        {
            var (_, id, traffic) = V1WithAccounts(harness, 150, seed: 5);
            harness.Upgrade(id, new AccountsV2());
            harness.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 7));
            traffic.Run(harness, id, 30);
            harness.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 7, RoutingPolicyKind.PointerRouted));
            TickUntil(harness, id, MigrationPhase.Completed);
            traffic.Run(harness, id, 10);
            traffic.AssertSame(harness, id);
            return $"{harness.TraceHash:x16} after {harness.Round} rounds";
        }

        var engine = Script(new EngineHarness());
        var actors = Script(ic);

        Assert.NotNull(ProxyOf(ic.Read(s => s.Canisters.Single().Id)));
        Assert.Equal(engine, actors);
    }
}
