namespace ActorMigrate.Scenarios.Definition;

/// <summary>Where a run keeps its canisters' durable state (scenario key <c>journal</c>).</summary>
public enum ScenarioJournal
{
    /// <summary>Actors on an embedded SQLite file in the run folder: the only journal a run can be resumed from.</summary>
    Sqlite,

    /// <summary>Actors on Akka's in-memory journal: the same hosting, nothing kept after the process.</summary>
    Memory,

    /// <summary>The bare engine, no actors: the fastest, for tests.</summary>
    None,
}
