namespace ActorMigrate.Testing.Fuzzing;

/// <summary>The kinds of event a sequence hit, so a user can see the search was not shallow.</summary>
[Flags]
public enum FuzzEvents
{
    None = 0,
    Upgrade = 1 << 0,
    Downgrade = 1 << 1,

    /// <summary>A downgrade while a migration (either direction) was part way.</summary>
    PartWayDowngrade = 1 << 2,

    /// <summary>An upgrade of the migrating version to itself while a migration was part way (it resumes).</summary>
    PartWayUpgrade = 1 << 3,
    ReverseMigration = 1 << 4,
    FailedUpgrade = 1 << 5,
    TrapArmed = 1 << 6,
    Crash = 1 << 7,
    Stopped = 1 << 8,
    SnapshotTaken = 1 << 9,
    SnapshotLoaded = 1 << 10,
    SkipPreUpgrade = 1 << 11,
    StrangerRefused = 1 << 12,
    MigrationCompleted = 1 << 13,
}
