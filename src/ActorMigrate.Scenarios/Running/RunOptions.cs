using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Reports;

namespace ActorMigrate.Scenarios.Running;

/// <summary>How to run a scenario: where (a run folder, or nothing written), on which journal, and who watches.</summary>
public sealed record RunOptions
{
    /// <summary>The run folder (scenario copy, journal, progress, report, chart); null: keep nothing on disk.</summary>
    public string? Folder { get; init; }

    /// <summary>Overrides the scenario's <c>journal</c>.</summary>
    public ScenarioJournal? Journal { get; init; }

    /// <summary>Called after every round with what it measured (the CLI's live progress).</summary>
    public Action<RoundSample>? OnRound { get; init; }

    /// <summary>Called when a script event has run.</summary>
    public Action<EventOutcome>? OnEvent { get; init; }
}
