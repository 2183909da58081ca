using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Tests.Durability;
using Akka.Configuration;
using ConfigurationException = ActorMigrate.Actors.Configuration.ConfigurationException;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Data;

namespace ActorMigrate.Actors.Tests.Configuration;

public sealed class SqliteSynchronousTests
{
    [Theory]
    [InlineData("normal", 1)]
    [InlineData("full", 2)]
    public void The_journal_connections_run_at_the_synchronous_level_the_hocon_names(string level, long pragmaValue)
    {
        using var database = new TempDatabase();
        var config = ConfigurationFactory.ParseString($"actormigrate.persistence.sqlite.synchronous = {level}")
            .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.Sqlite(database.Path)));

        Assert.True(ActorMigratePersistence.Setup(config).Get<DataOptionsSetup>().HasValue);

        // A connection opened with the options the setup hands the SQL plugin (SQLite's own default is 2, full).
        using var connection = new DataConnection(ActorMigratePersistence.SqliteConnectionOptions(config)!);
        Assert.Equal(pragmaValue, connection.Execute<long>("PRAGMA synchronous"));
        Assert.Equal("wal", connection.Execute<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void The_default_level_is_normal_in_write_ahead_log_mode()
    {
        using var database = new TempDatabase();
        using var connection = new DataConnection(ActorMigratePersistence.SqliteConnectionOptions(ActorMigratePersistence.Config(PersistenceJournal.Sqlite(database.Path)))!);
        Assert.Equal(1L, connection.Execute<long>("PRAGMA synchronous"));
    }

    [Fact]
    public void An_unknown_level_is_refused_naming_the_setting()
    {
        var config = ConfigurationFactory.ParseString("actormigrate.persistence.sqlite.synchronous = sometimes")
            .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.Sqlite(Path.Combine(Path.GetTempPath(), "never-opened.db"))));
        var error = Assert.Throws<ConfigurationException>(() => ActorMigratePersistence.Setup(config));
        Assert.Contains("actormigrate.persistence.sqlite.synchronous = \"sometimes\"", error.Message);
    }

    [Fact]
    public void Normal_without_write_ahead_logging_is_refused()
    {
        using var database = new TempDatabase();
        var config = ConfigurationFactory.ParseString("actormigrate.persistence.sqlite.write-ahead-log = off")
            .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.Sqlite(database.Path)));
        var error = Assert.Throws<ConfigurationException>(() => ActorMigratePersistence.Setup(config));
        Assert.Contains("needs actormigrate.persistence.sqlite.write-ahead-log = on", error.Message);

        var full = ConfigurationFactory.ParseString("actormigrate.persistence.sqlite.synchronous = full").WithFallback(config);
        Assert.True(ActorMigratePersistence.Setup(full).Get<DataOptionsSetup>().HasValue);
    }

    [Fact]
    public void The_in_memory_journal_needs_no_connection_options() =>
        Assert.False(ActorMigratePersistence.Setup(PersistenceJournal.InMemory).Get<DataOptionsSetup>().HasValue);
}
