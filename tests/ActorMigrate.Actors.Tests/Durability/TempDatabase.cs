using Microsoft.Data.Sqlite;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>A SQLite file in a fresh temp folder, deleted with it.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("actormigrate-").FullName;

    public string Path => System.IO.Path.Combine(folder, "canisters.db");

    /// <summary>Runs <paramref name="sql"/> on the file directly (to corrupt or inspect what the journal wrote).</summary>
    public long Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            ? Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)
            : command.ExecuteNonQuery();
    }

    /// <summary>The text result of <paramref name="sql"/> (a PRAGMA, say).</summary>
    public string? Text(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    /// <summary>Rewrites the payload (and optionally the manifest) of the journal row at <paramref name="sequenceNr"/>.</summary>
    public void RewriteEvent(long sequenceNr, Func<byte[], byte[]> payload, string? manifest = null)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT message FROM journal WHERE sequence_number = $n";
        read.Parameters.AddWithValue("$n", sequenceNr);
        var bytes = (byte[])(read.ExecuteScalar() ?? throw new InvalidOperationException($"no journal row at sequence number {sequenceNr}"));
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE journal SET message = $m, manifest = coalesce($manifest, manifest) WHERE sequence_number = $n";
        write.Parameters.AddWithValue("$m", payload(bytes));
        write.Parameters.AddWithValue("$manifest", (object?)manifest ?? DBNull.Value);
        write.Parameters.AddWithValue("$n", sequenceNr);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a pooled connection of the journal may still hold the file; the temp folder is unique anyway
        }
    }
}
