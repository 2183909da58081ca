using ActorMigrate.Scenarios.Reports;
using Newtonsoft.Json;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// progress.json: where a run is, written after every durable round, so that --resume continues from
/// there. The model is not stored: it is rebuilt by replaying the seeded traffic for the rounds counted here.
/// </summary>
/// <param name="LoadRounds">Rounds of the initial load run so far (each put the same number of accounts into every canister).</param>
/// <param name="EventIndex">The script event running now (those before it are done).</param>
/// <param name="TrafficRounds">Traffic rounds each event ran, up to and including the current one.</param>
/// <param name="Samples">How many lines of samples.jsonl belong to the run (later ones were written after the last durable round).</param>
public sealed record RunProgress(
    IReadOnlyList<string> CanisterIds,
    IReadOnlyList<string> Modules,
    IReadOnlyList<bool> PreUpgradeTraps,
    bool Loaded,
    int LoadRounds,
    int EventIndex,
    IReadOnlyList<int> TrafficRounds,
    ulong SubnetRound,
    int Samples,
    RunTotals Totals,
    IReadOnlyList<EventOutcome> Events,
    IReadOnlyList<RecordDifference> Differences)
{
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonConvert.SerializeObject(this, Formatting.Indented));
        File.Move(temporary, path, overwrite: true); // never a half-written progress file
    }

    public static RunProgress Read(string path) =>
        JsonConvert.DeserializeObject<RunProgress>(File.ReadAllText(path)) ?? throw new JsonSerializationException($"{path} holds no progress");
}
