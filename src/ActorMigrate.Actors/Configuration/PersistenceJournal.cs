namespace ActorMigrate.Actors.Configuration;

/// <summary>Where canisters' durable state goes: chosen in one line by tests and the CLI.</summary>
public abstract record PersistenceJournal
{
    private PersistenceJournal()
    {
    }

    /// <summary>An embedded SQLite file (journal and snapshot store), durable across processes.</summary>
    public static PersistenceJournal Sqlite(string path) => new SqliteFile(path);

    /// <summary>Akka's in-memory journal and snapshot store: gone with the ActorSystem; for fast tests.</summary>
    public static PersistenceJournal InMemory { get; } = new Memory();

    /// <summary>The SQLite journal on <paramref name="Path"/>.</summary>
    public sealed record SqliteFile(string Path) : PersistenceJournal;

    /// <summary>The in-memory journal.</summary>
    public sealed record Memory : PersistenceJournal;
}
