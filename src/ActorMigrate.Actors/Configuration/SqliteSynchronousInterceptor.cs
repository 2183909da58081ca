using System.Data.Common;
using System.Runtime.CompilerServices;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;

namespace ActorMigrate.Actors.Configuration;

/// <summary>
/// Sets SQLite's <c>synchronous</c> level on every connection the journal and snapshot store open. The
/// level is a per-connection setting that neither the database file nor Microsoft.Data.Sqlite's
/// connection string can carry, so it is applied when a connection opens — once per native SQLite
/// connection: a pooled one keeps it, and the journal opens a connection for every write.
/// </summary>
internal sealed class SqliteSynchronousInterceptor(SqliteSynchronous level) : ConnectionInterceptor
{
    private readonly string pragma = $"PRAGMA synchronous = {level.ToString().ToUpperInvariant()};";

    /// <summary>The pragma last run on each native connection, whichever interceptor ran it.</summary>
    private static readonly ConditionalWeakTable<object, string> Applied = [];

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        if (AlreadySet(connection, out var native))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
        Remember(native);
    }

    public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        if (AlreadySet(connection, out var native))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Remember(native);
    }

    /// <summary>Whether <paramref name="connection"/>'s native connection already runs at this level.</summary>
    private bool AlreadySet(DbConnection connection, out object? native)
    {
        native = (connection as SqliteConnection)?.Handle;
        return native is not null && Applied.TryGetValue(native, out var last) && last == pragma;
    }

    private void Remember(object? native)
    {
        if (native is not null)
        {
            Applied.AddOrUpdate(native, pragma);
        }
    }
}
