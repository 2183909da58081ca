namespace ActorMigrate.Scenarios.Reports;

/// <summary>
/// Everything a run measured: the summary the CLI prints, each event's outcome, every record that
/// differs from the model, and one sample per round (the chart's data). Written as report.json.
/// </summary>
/// <param name="Status">"passed", "failed" (a record or a call differs, or an event went wrong) or "interrupted".</param>
/// <param name="Rounds">Rounds the subnet ran (the initial load included).</param>
/// <param name="Steps">Migration steps run, as the canisters' migration state counts them.</param>
/// <param name="RecordsChecked">Records compared with the model at the end (and after a resume).</param>
/// <param name="Lost">Model records the canisters do not hold, or hold changed (and records they hold that the model does not).</param>
/// <param name="RecordsDigest">SHA-256 over every canister's records as the final check read them: two runs ending in the same state have the same digest.</param>
public sealed record ScenarioReport(
    string Scenario,
    string Source,
    int Seed,
    string Journal,
    string Status,
    string? Failure,
    ulong Rounds,
    long Steps,
    double WallClockSeconds,
    double SimulatedSeconds,
    long LargestStepInstructions,
    long SliceInstructions,
    long HeapHighWaterBytes,
    long StableBytes,
    long RecordsChecked,
    long Lost,
    string RecordsDigest,
    long CallsChecked,
    long CallsDiffering,
    long HeapReads,
    long HeapWrites,
    long StableReads,
    long StableWrites,
    int Resumes,
    IReadOnlyList<EventOutcome> Events,
    IReadOnlyList<RecordDifference> Differences,
    IReadOnlyList<RoundSample> Samples)
{
    public bool Passed => Status == "passed";
}
