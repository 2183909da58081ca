using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorMigrate.Benchmarks;

/// <summary>A trivial canister for the actor benchmarks: one update writing 8 bytes of stable memory.</summary>
public sealed class BenchCounterModule : CanisterModule
{
    public override string Name => "bench-counter";

    public override int Version => 1;

    public override void Init(Ic0 ic, object? arg) => ic.StableGrow(1);

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<ulong, ulong>("inc", (ic, slot) =>
        {
            var value = ic.StableMemory.ReadU64(8 * (slot % 1024)) + 1;
            ic.StableMemory.WriteU64(8 * (slot % 1024), value);
            return value;
        });
}

/// <summary>Replies to anything with itself: the raw Akka.NET request-reply baseline.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m));
}

/// <summary>
/// (a) Latency of one update call waiting for its round (and, when durable, for its journal write),
/// sequentially, per journal mode, against a raw Akka.NET Ask to an echo actor in the same run.
/// </summary>
public class ActorLatencyBenchmarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Principal Caller = new("bench");
    private ActorSystem system = null!;
    private ActorSystem sqliteSystem = null!;
    private IActorRef echo = null!;
    private (IActorRef Subnet, Principal Canister) volatileSubnet;
    private (IActorRef Subnet, Principal Canister) inMemorySubnet;
    private (IActorRef Subnet, Principal Canister) sqliteSubnet;
    private string folder = "";

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("actormigrate-actor-bench-").FullName;
        system = ActorSystem.Create("bench-actors", ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        sqliteSystem = ActorSystem.Create("bench-actors-sqlite", ActorMigratePersistence.Setup(PersistenceJournal.Sqlite(Path.Combine(folder, "bench.db"))));
        echo = system.ActorOf(Props.Create(() => new EchoActor()));
        volatileSubnet = Start(system, "volatile", SubnetActorSettings.Volatile());
        inMemorySubnet = Start(system, "in-memory", SubnetActorSettings.FromConfig(system.Settings.Config));
        sqliteSubnet = Start(sqliteSystem, "sqlite", SubnetActorSettings.FromConfig(sqliteSystem.Settings.Config));
    }

    internal static (IActorRef, Principal) Start(ActorSystem system, string name, SubnetActorSettings settings)
    {
        var subnet = system.AddActorMigrateSubnet(name, settings);
        var id = subnet.Ask<CanisterCreated>(new CreateCanister(Caller), Timeout).GetAwaiter().GetResult().Canister;
        var installed = subnet.Ask<CallResult>(new InstallCode(id, InstallMode.Install, new BenchCounterModule(), null, Caller), Timeout).GetAwaiter().GetResult();
        return installed.Reject is null ? (subnet, id) : throw new InvalidOperationException(installed.Reject.ToString());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Task.WaitAll(system.Terminate(), sqliteSystem.Terminate());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<object> RawAkkaAsk() => echo.Ask<object>(Caller, Timeout);

    [Benchmark]
    public Task<CallResult> UpdateVolatile() => Update(volatileSubnet);

    [Benchmark]
    public Task<CallResult> UpdateDurableInMemory() => Update(inMemorySubnet);

    [Benchmark]
    public Task<CallResult> UpdateDurableSqlite() => Update(sqliteSubnet);

    private static Task<CallResult> Update((IActorRef Subnet, Principal Canister) target) =>
        target.Subnet.Ask<CallResult>(new UpdateCall(target.Canister, "inc", 1UL, Caller), Timeout);
}

/// <summary>
/// (b) Throughput: 100 canisters, 10,000 update calls in flight, durable on the in-memory journal;
/// against 10,000 raw Asks in flight to 100 echo actors in the same run. One operation = one call.
/// </summary>
public class ActorThroughputBenchmarks
{
    private const int Calls = 10_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly Principal Caller = new("bench");
    private ActorSystem system = null!;
    private IActorRef subnet = null!;
    private readonly List<Principal> canisters = [];
    private readonly List<IActorRef> echoes = [];

    [GlobalSetup]
    public void Setup()
    {
        system = ActorSystem.Create("bench-throughput", ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        subnet = system.AddActorMigrateSubnet("subnet", SubnetActorSettings.FromConfig(system.Settings.Config));
        for (var i = 0; i < 100; i++)
        {
            var id = subnet.Ask<CanisterCreated>(new CreateCanister(Caller), Timeout).GetAwaiter().GetResult().Canister;
            subnet.Ask<CallResult>(new InstallCode(id, InstallMode.Install, new BenchCounterModule(), null, Caller), Timeout).GetAwaiter().GetResult();
            canisters.Add(id);
            echoes.Add(system.ActorOf(Props.Create(() => new EchoActor())));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => system.Terminate().Wait();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public Task RawAkkaAsksInFlight()
    {
        var tasks = new Task[Calls];
        for (var i = 0; i < Calls; i++)
        {
            tasks[i] = echoes[i % echoes.Count].Ask<object>(Caller, Timeout);
        }

        return Task.WhenAll(tasks);
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public Task UpdatesInFlight()
    {
        var tasks = new Task[Calls];
        for (var i = 0; i < Calls; i++)
        {
            tasks[i] = subnet.Ask<CallResult>(new UpdateCall(canisters[i % canisters.Count], "inc", (ulong)i, Caller), Timeout);
        }

        return Task.WhenAll(tasks);
    }
}

/// <summary>
/// (c) 10,000 idle canisters, each recovered from a SQLite file by a fresh ActorSystem: process memory
/// after a full GC, printed by the setup (a line "IDLE-CANISTERS …"); the timed body is a raw Ask so
/// BenchmarkDotNet has something to run. Run: --filter '*IdleCanister*' --job dry.
/// </summary>
public class IdleCanisterMemoryBenchmarks
{
    private const int Canisters = 10_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(600);
    private static readonly Principal Caller = new("bench");
    private ActorSystem recovered = null!;
    private IActorRef echo = null!;
    private string folder = "";

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("actormigrate-idle-bench-").FullName;
        var database = Path.Combine(folder, "idle.db");
        var modules = new ModuleRegistry(new BenchCounterModule());
        using (var first = ActorSystem.Create("idle-create", ActorMigratePersistence.Setup(PersistenceJournal.Sqlite(database))))
        {
            var subnet = first.AddActorMigrateSubnet("subnet", modules: modules);
            var created = new Task<CanisterCreated>[Canisters];
            for (var i = 0; i < Canisters; i++)
            {
                created[i] = subnet.Ask<CanisterCreated>(new CreateCanister(Caller), Timeout);
            }

            var installs = Task.WhenAll(created).GetAwaiter().GetResult()
                .Select(c => subnet.Ask<CallResult>(new InstallCode(c.Canister, InstallMode.Install, new BenchCounterModule(), null, Caller), Timeout))
                .ToArray();
            Task.WaitAll(installs);
            first.Terminate().Wait();
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        recovered = ActorSystem.Create("idle-recover", ActorMigratePersistence.Setup(PersistenceJournal.Sqlite(database)));
        var again = recovered.AddActorMigrateSubnet("subnet", modules: modules);
        var count = again.Ask<Inspected>(new Inspect(s => s.Canisters.Count()), Timeout).GetAwaiter().GetResult().Value;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine($"IDLE-CANISTERS recovered={count} managed-heap={managed / (1 << 20)} MiB (before the recovering system: {before / (1 << 20)} MiB) working-set={process.WorkingSet64 / (1 << 20)} MiB");
        echo = recovered.ActorOf(Props.Create(() => new EchoActor()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        recovered.Terminate().Wait();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark]
    public Task<object> RawAkkaAskNextToIdleCanisters() => echo.Ask<object>(Caller, Timeout);
}
