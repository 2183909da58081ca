using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Testing;
using Akka.Actor;

namespace Accounts.Tests;

/// <summary>
/// The harnesses a scenario runs on: the bare engine, the actors with a durable in-memory journal, and
/// the actors on an embedded SQLite file. A test class derives from this to own (and dispose) the
/// harnesses it opens; the same script must give the same accounts on each.
/// </summary>
public abstract class Harnesses : IDisposable
{
    public const string Engine = "engine";
    public const string Actors = "actors";
    public const string ActorsOnSqlite = "actors-sqlite";

    private readonly List<Action> cleanup = [];

    /// <summary>The kinds every scenario theory runs on (SQLite is slower: it gets its own test).</summary>
    public static TheoryData<string> Kinds => new() { Engine, Actors };

    protected ICanisterHarness NewHarness(string kind, SubnetSettings? settings = null)
    {
        settings ??= SubnetSettings.Default;
        switch (kind)
        {
            case Engine:
                return new EngineHarness(settings);
            case Actors:
                return OnActors(PersistenceJournal.InMemory, settings);
            case ActorsOnSqlite:
                var path = Path.Combine(Path.GetTempPath(), $"accounts-{Guid.NewGuid():N}.db");
                var harness = OnActors(PersistenceJournal.Sqlite(path), settings);
                cleanup.Add(() => Delete(path));
                return harness;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, $"a harness kind is {Engine}, {Actors} or {ActorsOnSqlite}");
        }
    }

    /// <summary>A v1 canister on a new harness of <paramref name="kind"/>, with <paramref name="calls"/> calls of traffic.</summary>
    protected (ICanisterHarness Ic, Principal Id, AccountTraffic Traffic) V1WithAccounts(string kind, int calls, int seed = 7, SubnetSettings? settings = null) =>
        Scenario.V1WithAccounts(NewHarness(kind, settings), calls, seed);

    private ActorHarness OnActors(PersistenceJournal journal, SubnetSettings settings)
    {
        var system = ActorSystem.Create("accounts-" + Guid.NewGuid().ToString("N")[..8], ActorMigratePersistence.Setup(journal));
        var harness = new ActorHarness(SubnetActorSettings.FromConfig(system.Settings.Config, settings), system);
        cleanup.Add(() =>
        {
            harness.Dispose();
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        });
        return harness;
    }

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // a pooled connection may still hold it; the temp folder is cleaned eventually
            }
        }
    }

    public void Dispose()
    {
        for (var i = cleanup.Count - 1; i >= 0; i--)
        {
            cleanup[i]();
        }

        GC.SuppressFinalize(this);
    }
}
