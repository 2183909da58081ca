using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// Latency of one <see cref="PersistRound"/> with 1 dirty 4 KiB page, waited for until
/// <see cref="RoundDurable"/>, sequentially, on the in-memory journal and on a SQLite file, against a
/// raw Akka.NET Ask to a trivial actor in the same run (the baseline, ratio 1.00). SQLite runs at the
/// hocon's synchronous level (normal) and at full, which syncs the log at every commit.
/// </summary>
[MemoryDiagnoser]
public class PersistenceBenchmarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly byte[] page = new byte[PageDelta.PageSize];
    private readonly byte[] metadata = new byte[64];
    private ActorSystem inMemory = null!;
    private ActorSystem sqlite = null!;
    private ActorSystem sqliteFull = null!;
    private IActorRef echo = null!;
    private IActorRef inMemoryCanister = null!;
    private IActorRef sqliteCanister = null!;
    private IActorRef sqliteFullCanister = null!;
    private string folder = "";
    private long round;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(page);
        folder = Directory.CreateTempSubdirectory("actormigrate-bench-").FullName;
        inMemory = ActorSystem.Create("bench-inmem", ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        sqlite = ActorSystem.Create("bench-sqlite", ActorMigratePersistence.Setup(PersistenceJournal.Sqlite(Path.Combine(folder, "bench.db"))));
        sqliteFull = ActorSystem.Create("bench-sqlite-full", ActorMigratePersistence.Setup(
            Akka.Configuration.ConfigurationFactory.ParseString("actormigrate.persistence.sqlite.synchronous = full")
                .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.Sqlite(Path.Combine(folder, "bench-full.db"))))));
        echo = inMemory.ActorOf(Props.Create(() => new Echo()));
        inMemoryCanister = inMemory.ActorOf(StableMemoryActor.Props("bench", StableMemorySettings.FromConfig(inMemory.Settings.Config)));
        sqliteCanister = sqlite.ActorOf(StableMemoryActor.Props("bench", StableMemorySettings.FromConfig(sqlite.Settings.Config)));
        sqliteFullCanister = sqliteFull.ActorOf(StableMemoryActor.Props("bench", StableMemorySettings.FromConfig(sqliteFull.Settings.Config)));
        // Warm both journals (SQLite creates its tables on first use).
        PersistRoundInMemory().GetAwaiter().GetResult();
        PersistRoundSqlite().GetAwaiter().GetResult();
        PersistRoundSqliteFull().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Task.WaitAll(inMemory.Terminate(), sqlite.Terminate(), sqliteFull.Terminate());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<object> AskTrivialActor() => echo.Ask<object>(metadata, Timeout);

    [Benchmark]
    public Task<RoundDurable> PersistRoundInMemory() => Persist(inMemoryCanister);

    [Benchmark]
    public Task<RoundDurable> PersistRoundSqlite() => Persist(sqliteCanister);

    [Benchmark]
    public Task<RoundDurable> PersistRoundSqliteFull() => Persist(sqliteFullCanister);

    private Task<RoundDurable> Persist(IActorRef canister)
    {
        // Every byte of the page differs from the round before, so the event journals the whole page
        // (the actor journals only the 32-byte blocks that changed).
        var next = Interlocked.Increment(ref round);
        var bytes = new byte[PageDelta.PageSize];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(page[i] ^ next);
        }

        return canister.Ask<RoundDurable>(new PersistRound(next, 1, [new PageDelta((ulong)(next % 16), bytes)], metadata), Timeout);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }
}
