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
