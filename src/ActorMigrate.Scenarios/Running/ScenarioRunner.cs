using System.Diagnostics;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Canisters;
using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Reports;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;
using Newtonsoft.Json;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// Runs a scenario: creates and fills the canisters, plays the script with traffic in every round it
/// lets pass, applies the same traffic to an independent model, samples every round, and at the end
/// checks every record against the model. A run is a function of its scenario and seed. Stopped by its
/// cancellation token between rounds, it leaves the journal consistent and a progress file that
/// <see cref="Resume"/> continues from.
/// </summary>
public sealed partial class ScenarioRunner
{
    private readonly Scenario scenario;
    private readonly RunOptions options;
    private readonly ScenarioJournal journal;
    private readonly RunFolder? folder;
    private readonly List<CanisterUnderTest> canisters = [];
    private readonly List<RoundSample> samples = [];
    private readonly List<EventOutcome> events = [];
    private readonly List<RecordDifference> differences = [];
    private readonly List<int> trafficRounds = [0];
    private readonly Stopwatch clock = new();
    private IScenarioHost host = null!;
    private RunTotals totals = new(0, 0, 0, 0, 0, TrafficServed.None, 0, 0);
    private StreamWriter? sampleLog;
    private bool loaded;
    private int loadRounds;
    private int eventIndex;
    private ulong lastSampledRound;
    private long recordsChecked;
    private long lost;
    private string recordsDigest = "";
    private string? failure;

    private ScenarioRunner(Scenario scenario, RunOptions options)
    {
        this.scenario = scenario;
        this.options = options;
        journal = options.Journal ?? scenario.Journal;
        folder = options.Folder is null ? null : new RunFolder(options.Folder);
        if (journal == ScenarioJournal.Sqlite && folder is null)
        {
            throw new ArgumentException("the sqlite journal lives in a run folder: give RunOptions.Folder");
        }
    }

    private ICanisterHarness Ic => host.Harness;

    /// <summary>Runs <paramref name="scenario"/> from the start.</summary>
    public static ScenarioReport Run(Scenario scenario, RunOptions? options = null, CancellationToken cancellation = default)
    {
        var runner = new ScenarioRunner(scenario, options ?? new RunOptions());
        return runner.Start(cancellation);
    }

    /// <summary>
    /// Continues the interrupted run in <paramref name="runFolder"/>: recovers its canisters from the SQLite
    /// journal, rebuilds the model by replaying the seeded traffic up to the progress file's position,
    /// checks the recovered canisters against it, and plays the rest of the script.
    /// </summary>
    /// <exception cref="ConfigurationException">The folder holds no resumable run.</exception>
    public static ScenarioReport Resume(string runFolder, RunOptions? options = null, CancellationToken cancellation = default)
    {
        var run = new RunFolder(runFolder);
        if (!File.Exists(run.Scenario) || !File.Exists(run.Progress) || !File.Exists(run.Journal))
        {
            throw new ConfigurationException($"{runFolder}: not a resumable run folder (it needs scenario.conf, progress.json and journal.db from a run on the sqlite journal)");
        }

        var scenario = ScenarioLoader.LoadFile(run.Scenario);
        if (options?.Journal is { } asked && asked != ScenarioJournal.Sqlite)
        {
            throw new ConfigurationException($"{runFolder}: a run resumes from its SQLite journal; --journal {asked.ToString().ToLowerInvariant()} cannot resume it");
        }

        var runner = new ScenarioRunner(scenario, (options ?? new RunOptions()) with { Folder = runFolder, Journal = ScenarioJournal.Sqlite });
        return runner.Continue(RunProgress.Read(run.Progress), cancellation);
    }

    private ScenarioReport Start(CancellationToken cancellation)
    {
        if (folder is not null)
        {
            Directory.CreateDirectory(folder.Path);
            File.WriteAllText(folder.Scenario, scenario.Text);
            sampleLog = new StreamWriter(folder.Samples, append: false);
        }

        clock.Start();
        host = CreateHost(new ModuleRegistry());
        try
        {
            for (var i = 0; i < scenario.Canisters.Count; i++)
            {
                var definition = scenario.Canisters[i];
                var id = Ic.CreateCanister();
                var installed = Ic.TryInstallCode(id, InstallMode.Install, ModuleCatalog.Create(definition.Module));
                canisters.Add(new CanisterUnderTest(definition.Name, id, definition.Module, Workload(i)));
                if (installed.Reject is { } reject)
                {
                    failure = $"installing {definition.Module} on {definition.Name} was rejected: {reject.Message}";
                }
            }

            return Play(cancellation);
        }
        finally
        {
            Stop();
        }
    }

    private ScenarioReport Continue(RunProgress progress, CancellationToken cancellation)
    {
        clock.Start();
        // Recovery finds each canister's module by name and version: register the ones this run installed.
        var modules = new ModuleRegistry();
        for (var i = 0; i < progress.CanisterIds.Count; i++)
        {
            modules.Register(ModuleCatalog.Create(progress.Modules[i], progress.PreUpgradeTraps[i]));
        }

        host = CreateHost(modules);
        try
        {
            for (var i = 0; i < scenario.Canisters.Count; i++)
            {
                canisters.Add(new CanisterUnderTest(scenario.Canisters[i].Name, new Principal(progress.CanisterIds[i]), progress.Modules[i], Workload(i))
                {
                    PreUpgradeTraps = progress.PreUpgradeTraps[i],
                });
            }

            totals = progress.Totals with { Resumes = progress.Totals.Resumes + 1 };
            events.AddRange(progress.Events);
            differences.AddRange(progress.Differences);
            loaded = progress.Loaded;
            loadRounds = progress.LoadRounds;
            eventIndex = progress.EventIndex;
            trafficRounds.Clear();
            trafficRounds.AddRange(progress.TrafficRounds);
            RestoreSamples(progress.Samples);
            Replay();
            lastSampledRound = Ic.Round;
            CheckRecords("after recovery");
            if (lost > 0)
            {
                failure = $"the recovered canisters differ from the model in {lost} records: recovery did not bring back the state of round {progress.SubnetRound}";
                return Finish("failed"); // the check after recovery named them; the script is not played on a wrong state
            }

            foreach (var canister in canisters.Where(c => MigrationStateOf(c) is not null))
            {
                // The steps before the interruption are in the totals already: count only later ones.
                var state = MigrationStateOf(canister)!;
                canister.LastSteps = (state.Epoch, state.Steps);
            }

            return Play(cancellation);
        }
        finally
        {
            Stop();
        }
    }

    private AccountWorkload Workload(int canister) => new(scenario.Seed + (1_000_003 * canister), scenario.Data, scenario.Traffic);

    private IScenarioHost CreateHost(ModuleRegistry modules) => journal switch
    {
        ScenarioJournal.None => new EngineScenarioHost(scenario.Subnet),
        ScenarioJournal.Memory => new ActorScenarioHost(scenario.Subnet, PersistenceJournal.InMemory, modules),
        _ => new ActorScenarioHost(scenario.Subnet, PersistenceJournal.Sqlite(folder!.Journal), modules),
    };

    private ScenarioReport Play(CancellationToken cancellation)
    {
        var interrupted = false;
        if (failure is null && !loaded)
        {
            interrupted = !Load(cancellation);
        }

        while (failure is null && !interrupted && eventIndex < scenario.Script.Count)
        {
            interrupted = !RunEvent(scenario.Script[eventIndex], cancellation);
        }

        if (!interrupted)
        {
            CheckRecords("final check");
        }

        return Finish(interrupted ? "interrupted" : failure is null && lost == 0 && totals.CallsDiffering == 0 ? "passed" : "failed");
    }

    /// <summary>The report with <paramref name="status"/>, written with its chart into the run folder.</summary>
    private ScenarioReport Finish(string status)
    {
        var report = Report(status);
        if (folder is not null)
        {
            File.WriteAllText(folder.Report, ReportJson.Write(report));
            File.WriteAllText(folder.Chart, ProgressChart.Render(report));
        }

        return report;
    }

    /// <summary>Puts the initial accounts, <see cref="DataShape.LoadPerRound"/> per canister per round. False when interrupted.</summary>
    private bool Load(CancellationToken cancellation)
    {
        while (Loaded(loadRounds) < scenario.Data.Records)
        {
            if (cancellation.IsCancellationRequested)
            {
                return false;
            }

            var count = Math.Min(scenario.Data.LoadPerRound, scenario.Data.Records - Loaded(loadRounds));
            Ic.AdvanceTime(scenario.RoundDuration);
            var calls = canisters.Select(c => c.Workload.NextLoad(count)).ToList();
            Deliver(calls);
            loadRounds++;
            Sample("load", calls);
            WriteProgress();
        }

        loaded = true;
        WriteProgress();
        return true;
    }

    private int Loaded(int rounds) => Math.Min(scenario.Data.Records, rounds * scenario.Data.LoadPerRound);

    /// <summary>One round of traffic on every canister, checked call by call against the model.</summary>
    private void TrafficRound(string stage)
    {
        Ic.AdvanceTime(scenario.RoundDuration);
        var calls = canisters.Select(c => c.Workload.NextRound()).ToList();
        Deliver(calls);
        for (var i = 0; i < canisters.Count; i++)
        {
            foreach (var get in calls[i].Where(c => c.Op == TrafficOp.Get))
            {
                var canister = canisters[i];
                var answer = Ic.TryQuery(canister.Id, "get_account", get.Principal);
                canister.Workload.Model.TryGetValue(get.Principal, out var expected);
                var ok = answer.Reject is null && (answer.Reply is Examples.Accounts.Account actual ? expected is not null && actual.SameAs(expected) : expected is null);
                Count(ok, canister, get.Principal, ok ? "" : $"get_account answered {Describe(answer)}, the model holds {(expected is null ? "nothing" : "an account")}");
            }
        }

        trafficRounds[eventIndex]++;
        Sample(stage, calls);
        WriteProgress();
    }

    /// <summary>Delivers every write of <paramref name="calls"/> (one list per canister) in one round and checks each answer.</summary>
    private void Deliver(IReadOnlyList<IReadOnlyList<TrafficCall>> calls)
    {
        var sent = new List<(CanisterUnderTest Canister, TrafficCall Call)>();
        for (var i = 0; i < canisters.Count; i++)
        {
            sent.AddRange(calls[i].Where(c => c.IsWrite).Select(c => (canisters[i], c)));
        }

        var answers = host.RunRound([.. sent.Select(s => new IngressCall(s.Canister.Id, s.Call.Method, s.Call.Arg))]);
        for (var i = 0; i < sent.Count; i++)
        {
            var (canister, call) = sent[i];
            var ok = answers[i].Reject is null && answers[i].Reply is bool reply && reply == call.ExpectedReply;
            Count(ok, canister, call.Principal, ok ? "" : $"{call.Method} answered {Describe(answers[i])}, the model says {call.ExpectedReply.ToString().ToLowerInvariant()}");
        }
    }

    private void Count(bool ok, CanisterUnderTest canister, string principal, string what)
    {
        totals = totals with { CallsChecked = totals.CallsChecked + 1, CallsDiffering = totals.CallsDiffering + (ok ? 0 : 1) };
        if (!ok && differences.Count < 1_000)
        {
            differences.Add(new RecordDifference(canister.Name, principal, Ic.Round, what));
        }
    }

    private static string Describe(CallResult result) => result.Reject is { } reject ? $"a reject ({reject.Message})" : result.Reply switch
    {
        null => "nothing",
        bool b => b.ToString().ToLowerInvariant(),
        _ => "an account",
    };

    /// <summary>Every record of every canister against its model; counts what is lost and names what differs.</summary>
    private void CheckRecords(string when)
    {
        recordsChecked = 0;
        lost = 0;
        using var digest = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var canister in canisters)
        {
            var answer = Ic.TryQuery(canister.Id, "all_accounts");
            var model = canister.Workload.Model;
            recordsChecked += model.Count;
            if (answer.Reject is { } reject)
            {
                lost += model.Count;
                differences.Add(new RecordDifference(canister.Name, "*", Ic.Round, $"{when}: all_accounts was rejected: {reject.Message}"));
                continue;
            }

            var held = (List<Examples.Accounts.Account>)answer.Reply!;
            digest.AppendData(System.Text.Encoding.UTF8.GetBytes(canister.Name));
            foreach (var account in held)
            {
                digest.AppendData(((IStorable<Examples.Accounts.Account>)Examples.Accounts.AccountCodec.Instance).ToBytes(account));
            }

            var actual = held.ToDictionary(a => a.Principal, StringComparer.Ordinal);
            foreach (var (principal, account) in model)
            {
                var what = !actual.TryGetValue(principal, out var found) ? "missing" : found.SameAs(account) ? null : "differs";
                if (what is not null)
                {
                    lost++;
                    Note(canister, principal, $"{when}: {what}");
                }
            }

            foreach (var principal in actual.Keys.Where(p => !model.ContainsKey(p)))
            {
                lost++;
                Note(canister, principal, $"{when}: unexpected (the model removed it or never had it)");
            }
        }

        recordsDigest = Convert.ToHexString(digest.GetHashAndReset()).ToLowerInvariant();
    }

    private void Note(CanisterUnderTest canister, string principal, string what)
    {
        if (differences.Count < 1_000)
        {
            differences.Add(new RecordDifference(canister.Name, principal, Ic.Round, what));
        }
    }

    private void WriteProgress()
    {
        if (folder is null)
        {
            return;
        }

        sampleLog?.Flush();
        new RunProgress(
            [.. canisters.Select(c => c.Id.Text)],
            [.. canisters.Select(c => c.Module)],
            [.. canisters.Select(c => c.PreUpgradeTraps)],
            loaded,
            loadRounds,
            eventIndex,
            [.. trafficRounds],
            Ic.Round,
            samples.Count,
            totals with { WallClockSeconds = totals.WallClockSeconds + clock.Elapsed.TotalSeconds },
            [.. events],
            [.. differences]).Write(folder.Progress);
    }

    private void RestoreSamples(int count)
    {
        var lines = File.Exists(folder!.Samples) ? File.ReadLines(folder.Samples).Take(count).ToList() : [];
        samples.AddRange(lines.Select(l => JsonConvert.DeserializeObject<RoundSample>(l)!));
        File.WriteAllLines(folder.Samples, lines); // drop samples of rounds after the last durable one
        sampleLog = new StreamWriter(folder.Samples, append: true);
    }

    private ScenarioReport Report(string status) => new(
        scenario.Name,
        scenario.Source,
        scenario.Seed,
        journal.ToString().ToLowerInvariant(),
        status,
        failure,
        Ic.Round,
        totals.Steps,
        totals.WallClockSeconds + clock.Elapsed.TotalSeconds,
        (Ic.TimeNanos - scenario.Subnet.GenesisTimeNanos) / 1e9,
        totals.LargestStepInstructions,
        scenario.Subnet.Limits.MaxInstructionsPerSlice,
        totals.HeapHighWaterBytes,
        samples.Count > 0 ? samples[^1].StableBytes : 0,
        recordsChecked,
        lost,
        recordsDigest,
        totals.CallsChecked,
        totals.CallsDiffering,
        totals.Traffic.HeapReads,
        totals.Traffic.HeapWrites,
        totals.Traffic.StableReads,
        totals.Traffic.StableWrites,
        totals.Resumes,
        [.. events],
        [.. differences],
        [.. samples]);

    private void Stop()
    {
        sampleLog?.Dispose();
        host?.Dispose();
    }
}
