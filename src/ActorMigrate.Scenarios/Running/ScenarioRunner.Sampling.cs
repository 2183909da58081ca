using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;
using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Reports;
using Newtonsoft.Json;

namespace ActorMigrate.Scenarios.Running;

/// <summary>What the runner records after each round, and the replay that rebuilds the model on resume.</summary>
public sealed partial class ScenarioRunner
{
    /// <summary>Samples every canister after the round(s) just run; <paramref name="calls"/> are the traffic they served.</summary>
    private void Sample(string stage, IReadOnlyList<IReadOnlyList<TrafficCall>> calls)
    {
        var since = lastSampledRound;
        var stepRuns = host.Read(s => StepExecutions(s, since));
        var perCanister = new List<CanisterSample>();
        var traffic = TrafficServed.None;
        long steps = 0;
        foreach (var (canister, i) in canisters.Select((c, i) => (c, i)))
        {
            var report = Ic.Report(canister.Id);
            var state = report.ModuleVersion >= 3 ? MigrationStateOf(canister) : null;
            long largest = 0;
            if (state is not null)
            {
                var (epoch, before) = canister.LastSteps;
                var newSteps = state.Epoch == epoch && state.Steps >= before ? state.Steps - before : state.Steps;
                steps += (long)newSteps;
                canister.LastSteps = (state.Epoch, state.Steps);
                largest = newSteps > 0 ? stepRuns.Where(r => r.Canister == canister.Id).Select(r => r.InstructionsUsed).DefaultIfEmpty(0).Max() : 0;
            }

            var served = host.Served(canister.Id);
            traffic = traffic.Plus(served.Minus(canister.LastServed)).Plus(ModuleCatalog.Migrates(canister.Module) ? TrafficServed.None : HeapOnly(calls[i]));
            canister.LastServed = served;
            perCanister.Add(new CanisterSample(
                canister.Name,
                canister.Module,
                state is null ? $"heap (v{report.ModuleVersion})" : Phase(state),
                state is null ? 0 : (long)state.MigratedCount,
                state is null ? canister.Workload.Model.Count : (long)state.SourceCountAtStart,
                state?.Pointer is { } pointer ? AccountCodec.Keys.Read(pointer) : null,
                largest,
                report.HeapBytes,
                (long)report.StableMemoryBytes));
        }

        var sample = new RoundSample(
            Ic.Round,
            (Ic.TimeNanos - scenario.Subnet.GenesisTimeNanos) / 1e9,
            stage,
            perCanister.Sum(c => c.Migrated),
            perCanister.Sum(c => c.Total),
            perCanister.Max(c => c.LargestStepInstructions),
            scenario.Subnet.Limits.MaxInstructionsPerSlice,
            totals.Traffic.HeapReads + traffic.HeapReads,
            totals.Traffic.HeapWrites + traffic.HeapWrites,
            totals.Traffic.StableReads + traffic.StableReads,
            totals.Traffic.StableWrites + traffic.StableWrites,
            perCanister.Sum(c => c.HeapBytes),
            perCanister.Sum(c => c.StableBytes),
            perCanister);
        totals = totals with
        {
            Steps = totals.Steps + steps,
            LargestStepInstructions = Math.Max(totals.LargestStepInstructions, sample.LargestStepInstructions),
            HeapHighWaterBytes = Math.Max(totals.HeapHighWaterBytes, sample.HeapBytes),
            Traffic = totals.Traffic.Plus(traffic),
        };
        samples.Add(sample);
        sampleLog?.WriteLine(JsonConvert.SerializeObject(sample));
        lastSampledRound = Ic.Round;
        options.OnRound?.Invoke(sample);
    }

    /// <summary>A module without a migrating store (v1, v2) has no proxy to count: its one store, the heap, serves every call.</summary>
    private static TrafficServed HeapOnly(IReadOnlyList<TrafficCall> calls) =>
        new(calls.Count(c => !c.IsWrite), calls.Count(c => c.IsWrite), 0, 0);

    /// <summary>The executions since <paramref name="since"/> that can run a migration step: heartbeat, timers, a step's self-call and its continuation.</summary>
    private static List<ExecutionRecord> StepExecutions(Subnet subnet, ulong since)
    {
        return [.. subnet.Trace.After(since).Where(r => r.Committed &&
            (r.Kind is ExecutionKind.Heartbeat or ExecutionKind.Timer or ExecutionKind.GlobalTimer or ExecutionKind.OnLowWasmMemory or ExecutionKind.Response
             || r.Method == "step_migration"))];
    }

    /// <summary>
    /// Rebuilds every model from the seed: the initial load, then each finished event's model effect
    /// (snapshots) and the traffic rounds each event ran, as the progress file counts them.
    /// </summary>
    private void Replay()
    {
        for (var round = 0; round < loadRounds; round++)
        {
            var count = Math.Min(scenario.Data.LoadPerRound, scenario.Data.Records - Loaded(round));
            canisters.ForEach(c => c.Workload.NextLoad(count));
        }

        for (var i = 0; i <= eventIndex && i < trafficRounds.Count; i++)
        {
            if (i < eventIndex && scenario.Script[i] is SnapshotEvent snapshot)
            {
                foreach (var canister in canisters.Where(c => snapshot.Canister is null || c.Name == snapshot.Canister))
                {
                    // Snapshots live in the engine, not the journal: the model keeps them, the canister no longer does.
                    if (!snapshot.Load)
                    {
                        canister.Snapshots.Push((0, canister.Module, canister.PreUpgradeTraps, canister.Workload.Capture()));
                    }
                    else if (canister.Snapshots.TryPeek(out var taken))
                    {
                        canister.Workload.Restore(taken.Model);
                    }
                }
            }

            for (var round = 0; round < trafficRounds[i]; round++)
            {
                canisters.ForEach(c => c.Workload.NextRound());
            }
        }
    }
}
