using System.Reflection;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace ActorMigrate.Actors.Configuration;

/// <summary>
/// Builds the Akka <see cref="Config"/> for canister persistence from hocon/persistence.conf (embedded in
/// this assembly, or a file the caller names) plus the journal chosen in code, and the ActorSystem
/// <see cref="Setup"/> that carries it:
/// <c>ActorSystem.Create("x", ActorMigratePersistence.Setup(ActorMigratePersistence.Config(PersistenceJournal.Sqlite(path))))</c>.
/// </summary>
public static class ActorMigratePersistence
{
    /// <summary>The embedded copy of hocon/persistence.conf.</summary>
    public const string ResourceName = "ActorMigrate.Actors.hocon.persistence.conf";

    /// <summary>The defaults of hocon/persistence.conf with <paramref name="journal"/> (or the file's <c>journal</c> setting).</summary>
    public static Config Config(PersistenceJournal? journal = null) =>
        WithJournal(Parse(EmbeddedText(), $"{ResourceName} (embedded hocon/persistence.conf)"), journal);

    /// <summary>
    /// The HOCON file <paramref name="hoconFile"/> (a copy of hocon/persistence.conf, edited) with
    /// <paramref name="journal"/>; settings the file leaves out fall back to the embedded defaults.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing or malformed; the message names the file and line.</exception>
    public static Config Config(string hoconFile, PersistenceJournal? journal = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(hoconFile);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"{hoconFile}: cannot read the persistence configuration: {e.Message}", e);
        }

        var file = Parse(text, hoconFile);
        return WithJournal(file.WithFallback(Parse(EmbeddedText(), ResourceName)), journal);
    }

    /// <summary>
    /// The ActorSystem setup for <paramref name="journal"/>, or for a config from <see cref="Config(PersistenceJournal?)"/>
    /// with the host's own settings on top: the config, plus what HOCON cannot hand the SQL plugin —
    /// the SQLite connections' <c>synchronous</c> level (actormigrate.persistence.sqlite.synchronous). A
    /// system created from the config alone runs SQLite's default level, full.
    /// </summary>
    /// <exception cref="ConfigurationException">The synchronous level is unknown, or normal without write-ahead logging.</exception>
    public static ActorSystemSetup Setup(PersistenceJournal journal) => Setup(Config(journal));

    /// <inheritdoc cref="Setup(PersistenceJournal)"/>
    public static ActorSystemSetup Setup(Config config)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        return SqliteConnectionSetup(config) is { } connections ? bootstrap.And(connections) : ActorSystemSetup.Create(bootstrap);
    }

    /// <summary>
    /// For hosts that build the ActorSystem themselves (Akka.Hosting's <c>AddSetup</c>): the SQL plugin's
    /// connection options for the SQLite journal of <paramref name="config"/>, or null for another journal.
    /// They apply to the journal and the snapshot store, which share the file.
    /// </summary>
    public static DataOptionsSetup? SqliteConnectionSetup(Config config) =>
        SqliteConnectionOptions(config) is { } options ? new DataOptionsSetup(options) : null;

    /// <summary>The linq2db options of <see cref="SqliteConnectionSetup"/>, or null for another journal.</summary>
    internal static DataOptions? SqliteConnectionOptions(Config config)
    {
        if (config.GetString("actormigrate.persistence.journal") != "sqlite")
        {
            return null;
        }

        const string setting = "actormigrate.persistence.sqlite.synchronous";
        var level = config.GetString(setting, "normal") switch
        {
            "normal" => SqliteSynchronous.Normal,
            "full" => SqliteSynchronous.Full,
            var other => throw new ConfigurationException($"{setting} = \"{other}\"; it must be \"normal\" or \"full\""),
        };
        if (level == SqliteSynchronous.Normal && !config.GetBoolean("actormigrate.persistence.sqlite.write-ahead-log", false))
        {
            // Only the write-ahead log keeps the file consistent through a power loss without a sync per commit.
            throw new ConfigurationException($"{setting} = \"normal\" needs actormigrate.persistence.sqlite.write-ahead-log = on; without it use \"full\"");
        }

        return new DataOptions()
            .UseConnectionString(config.GetString("akka.persistence.journal.sql.provider-name"), config.GetString("akka.persistence.journal.sql.connection-string"))
            .UseInterceptor(new SqliteSynchronousInterceptor(level));
    }

    private static Config WithJournal(Config config, PersistenceJournal? journal)
    {
        journal ??= config.GetString("actormigrate.persistence.journal", "sqlite") switch
        {
            "sqlite" => PersistenceJournal.Sqlite(config.GetString("actormigrate.persistence.sqlite.path", "actormigrate.db")),
            "in-memory" => PersistenceJournal.InMemory,
            var other => throw new ConfigurationException(
                $"actormigrate.persistence.journal = \"{other}\"; it must be \"sqlite\" or \"in-memory\""),
        };

        if (journal is PersistenceJournal.SqliteFile file && config.GetBoolean("actormigrate.persistence.sqlite.write-ahead-log", false))
        {
            UseWriteAheadLog(file.Path);
        }

        var overrides = journal switch
        {
            PersistenceJournal.SqliteFile sqlite => SqliteOverrides(sqlite.Path),
            PersistenceJournal.Memory => InMemoryOverrides,
            _ => throw new ArgumentOutOfRangeException(nameof(journal), journal, "unknown journal"),
        };
        // The SQL plugin's own reference settings (table schemas, batching) are not loaded by Akka on
        // its own; they sit under ours so that every value above wins.
        return ConfigurationFactory.ParseString(overrides).WithFallback(config).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// Switches the SQLite file (created if missing) to write-ahead logging. The mode is stored in the
    /// file, so every later connection of the journal uses it: a commit then appends to the log and
    /// syncs once instead of rewriting the rollback journal.
    /// </summary>
    private static void UseWriteAheadLog(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var connection = new SqliteConnection($"Data Source={full};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException($"{full}: SQLite refused write-ahead logging (journal_mode is {mode})");
        }
    }

    private static string SqliteOverrides(string path)
    {
        var connection = Quote($"Data Source={Path.GetFullPath(path)}");
        return $"""
            actormigrate.persistence.journal = sqlite
            actormigrate.persistence.sqlite.path = {Quote(path)}
            akka.persistence.journal.sql.connection-string = {connection}
            akka.persistence.snapshot-store.sql.connection-string = {connection}
            """;
    }

    private const string InMemoryOverrides = """
        actormigrate.persistence.journal = in-memory
        akka.persistence.journal.plugin = "akka.persistence.journal.actormigrate-inmem"
        akka.persistence.journal.actormigrate-inmem {
          # Akka's MemoryJournal, but deletes drop events (its own only hide them, so compaction freed nothing).
          class = "ActorMigrate.Actors.Durability.CompactingMemoryJournal, ActorMigrate.Actors"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.journal.auto-start-journals = []
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.persistence.snapshot-store.auto-start-snapshot-stores = []
        """;

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    internal static Config Parse(string text, string source)
    {
        if (HoconStructure.FindError(text) is { } structural)
        {
            throw new ConfigurationException($"{source}: {structural} (malformed HOCON)");
        }

        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not ConfigurationException)
        {
            throw new ConfigurationException($"{source}: {LineOf(e, text)}malformed HOCON: {e.Message}", e);
        }
    }

    /// <summary>"line N: " for the parser errors that name a line or a substitution, else "".</summary>
    private static string LineOf(Exception e, string text)
    {
        if (Regex.Match(e.Message, @"[Ll]ine[: ]+(\d+)") is { Success: true } line)
        {
            return $"line {line.Groups[1].Value}: ";
        }

        if (Regex.Match(e.Message, @"substitution:? *([\w.\-]+)") is { Success: true } substitution)
        {
            var lines = text.Split('\n');
            var name = substitution.Groups[1].Value;
            var index = Array.FindIndex(lines, l => l.Contains("${" + name, StringComparison.Ordinal) || l.Contains("${?" + name, StringComparison.Ordinal));
            return index >= 0 ? $"line {index + 1}: " : "";
        }

        return "";
    }

    private static string EmbeddedText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
