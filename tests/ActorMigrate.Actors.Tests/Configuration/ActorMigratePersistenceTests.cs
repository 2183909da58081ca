using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using ActorMigrate.Actors.Tests.Durability;

namespace ActorMigrate.Actors.Tests.Configuration;

public sealed class ActorMigratePersistenceTests
{
    [Fact]
    public void The_default_journal_is_the_sqlite_file_named_in_the_hocon()
    {
        var config = ActorMigratePersistence.Config();
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.EndsWith("actormigrate.db", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
    }

    [Fact]
    public void Choosing_a_sqlite_path_points_journal_and_snapshot_store_at_that_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "a \"quoted\" dir", "c.db");
        var config = ActorMigratePersistence.Config(PersistenceJournal.Sqlite(path));
        Assert.Equal($"Data Source={path}", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal($"Data Source={path}", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Fact]
    public void A_sqlite_file_is_put_in_write_ahead_log_mode_unless_the_hocon_turns_it_off()
    {
        using var database = new TempDatabase();
        ActorMigratePersistence.Config(PersistenceJournal.Sqlite(database.Path));
        Assert.Equal("wal", database.Text("PRAGMA journal_mode"));

        using var plain = new TempDatabase();
        using var file = new TempFile("actormigrate.persistence.sqlite.write-ahead-log = off");
        ActorMigratePersistence.Config(file.Path, PersistenceJournal.Sqlite(plain.Path));
        Assert.Equal("delete", plain.Text("PRAGMA journal_mode"));
    }

    [Fact]
    public void Choosing_in_memory_switches_journal_and_snapshot_store()
    {
        var config = ActorMigratePersistence.Config(PersistenceJournal.InMemory);
        Assert.Equal("akka.persistence.journal.actormigrate-inmem", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.inmem", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Empty(config.GetStringList("akka.persistence.journal.auto-start-journals"));
    }

    [Fact]
    public void The_stable_memory_settings_come_from_the_hocon()
    {
        var settings = StableMemorySettings.FromConfig(ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        Assert.Equal(new StableMemorySettings(1000, 1 << 20, TimeSpan.FromSeconds(60), CheckpointJournalRatio: 1.0), settings);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("nan")]
    public void A_negative_or_meaningless_checkpoint_journal_ratio_is_refused_with_its_key(string ratio)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString($"actormigrate.persistence.stable-memory.checkpoint-journal-ratio = {ratio}")
            .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        var error = Assert.ThrowsAny<Exception>(() => StableMemorySettings.FromConfig(config));
        Assert.Contains("checkpoint-journal-ratio", error.Message);
    }

    [Fact]
    public void A_file_overrides_the_defaults_and_keeps_the_rest()
    {
        using var file = new TempFile("""
            actormigrate.persistence {
              journal = in-memory
              stable-memory.snapshot-interval-rounds = 7
            }
            """);
        var config = ActorMigratePersistence.Config(file.Path);
        Assert.Equal("akka.persistence.journal.actormigrate-inmem", config.GetString("akka.persistence.journal.plugin"));
        var settings = StableMemorySettings.FromConfig(config);
        Assert.Equal((7, 1 << 20), (settings.SnapshotIntervalRounds, settings.CheckpointChunkBytes));
    }

    [Theory]
    [InlineData("    checkpoint-chunk-size = [1, 2\n", "line 6: '}' closes the '[' opened on line 5")] // Akka's parser would loop forever
    [InlineData("    checkpoint-chunk-size = \"1 MiB\n", "line 5: a string that is not closed on its line")]
    [InlineData("    checkpoint-chunk-size =\n", "line 5: a key with '=' or ':' but no value")]
    [InlineData("    checkpoint-chunk-size = 1 MiB ]\n", "line 5: ']' closes the '{' opened on line 3")]
    [InlineData("    checkpoint-chunk-size = ${missing.size}\n", "line 5: malformed HOCON: Unresolved substitution: missing.size")]
    public void A_malformed_hocon_file_is_an_error_naming_the_file_and_line(string line5, string expected)
    {
        using var file = new TempFile(
            "actormigrate.persistence {\n" +
            "  journal = sqlite\n" +
            "  stable-memory {\n" +
            "    snapshot-interval-rounds = 10 # a comment with { and \"\n" +
            line5 +
            "  }\n" +
            "}\n");
        var error = Assert.Throws<ConfigurationException>(() => ActorMigratePersistence.Config(file.Path));
        Assert.StartsWith($"{file.Path}: {expected}", error.Message);
    }

    [Fact]
    public void The_shipped_hocon_and_triple_quoted_strings_pass_the_structure_check()
    {
        using var file = new TempFile("a {\n  b = \"\"\"x {\n  [ \"\"\"\n  c = [\n    1,\n    2\n  ]\n}\n");
        Assert.Equal(2, ActorMigratePersistence.Config(file.Path).GetIntList("a.c")[1]);
        Assert.StartsWith("x {\n  [", ActorMigratePersistence.Config(file.Path).GetString("a.b"));
    }

    [Fact]
    public void An_unknown_journal_name_is_an_error_naming_the_setting()
    {
        using var file = new TempFile("actormigrate.persistence.journal = cassandra");
        var error = Assert.Throws<ConfigurationException>(() => ActorMigratePersistence.Config(file.Path));
        Assert.Contains("actormigrate.persistence.journal = \"cassandra\"", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "persistence.conf");
        var error = Assert.Throws<ConfigurationException>(() => ActorMigratePersistence.Config(path));
        Assert.StartsWith(path + ": cannot read", error.Message);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string text)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"persistence-{Guid.NewGuid():N}.conf");
            File.WriteAllText(Path, text);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
