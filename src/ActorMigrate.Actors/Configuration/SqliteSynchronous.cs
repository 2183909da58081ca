namespace ActorMigrate.Actors.Configuration;

/// <summary>SQLite's <c>synchronous</c> levels a journal may use (hocon: actormigrate.persistence.sqlite.synchronous).</summary>
internal enum SqliteSynchronous
{
    /// <summary>In write-ahead-log mode: a commit is in the log before it returns, the log is synced at its checkpoints.
    /// Survives a process kill; an OS crash or power loss may lose the last commits, never the file's consistency.</summary>
    Normal,

    /// <summary>Every commit syncs the log to disk before it returns: survives a power loss too, at one fsync a round.</summary>
    Full,
}
