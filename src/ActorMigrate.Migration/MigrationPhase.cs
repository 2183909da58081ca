namespace ActorMigrate.Migration;

/// <summary>Where a migration is. Stored as one byte in <see cref="MigrationState"/>.</summary>
public enum MigrationPhase : byte
{
    /// <summary>No migration has run: the source schema's store is authoritative.</summary>
    Idle = 0,

    /// <summary>Steps are copying records; the proxy routes by the pointer.</summary>
    Migrating = 1,

    /// <summary>The checks passed and the target store is authoritative.</summary>
    Completed = 2,

    /// <summary>A check failed: the source store stays authoritative, <see cref="MigrationState.AbortReason"/> says why.</summary>
    Aborted = 3,
}
