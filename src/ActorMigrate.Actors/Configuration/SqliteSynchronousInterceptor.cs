using System.Data.Common;
using LinqToDB.Interceptors;

namespace ActorMigrate.Actors.Configuration;

/// <summary>
/// Sets SQLite's <c>synchronous</c> level on every connection the journal and snapshot store open. The
/// level is a per-connection setting that neither the database file nor Microsoft.Data.Sqlite's
/// connection string can carry, so it is applied as each (pooled) connection opens.
/// </summary>
internal sealed class SqliteSynchronousInterceptor(SqliteSynchronous level) : ConnectionInterceptor
{
    private readonly string pragma = $"PRAGMA synchronous = {level.ToString().ToUpperInvariant()};";

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
