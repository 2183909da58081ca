using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Reports;
using ActorMigrate.Testing;

namespace ActorMigrate.Scenarios.Running;

/// <summary>The script: each event, run on the canisters it names; waits run traffic rounds.</summary>
public sealed partial class ScenarioRunner
{
    /// <summary>Runs <paramref name="e"/> (or what is left of it after a resume). False when interrupted.</summary>
    private bool RunEvent(ScriptEvent e, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return false;
        }

        var start = Ic.Round;
        var stage = e.Describe();
        var targets = e.Canister is null ? canisters : [.. canisters.Where(c => c.Name == e.Canister)];
        var outcomes = new List<(bool Ok, string Outcome)>();
        switch (e)
        {
            case UpgradeEvent upgrade:
                outcomes.AddRange(targets.Select(t => Upgrade(t, upgrade)));
                break;
            case StartMigrationEvent migration:
                outcomes.AddRange(targets.Select(t => StartMigration(t, migration)));
                break;
            case SnapshotEvent snapshot:
                outcomes.AddRange(targets.Select(t => Snapshot(t, snapshot)));
                break;
            case WaitRoundsEvent wait:
                while (trafficRounds[eventIndex] < wait.Rounds)
                {
                    if (cancellation.IsCancellationRequested)
                    {
                        return false;
                    }

                    TrafficRound(stage);
                }

                outcomes.Add((true, $"{wait.Rounds} rounds of traffic"));
                break;
            case WaitUntilRoundEvent until:
                while (Ic.Round < (ulong)until.Round)
                {
                    if (cancellation.IsCancellationRequested)
                    {
                        return false;
                    }

                    TrafficRound(stage);
                }

                outcomes.Add((true, $"round {Ic.Round}"));
                break;
            case WaitUntilPhaseEvent phase:
                while (targets.FirstOrDefault(t => PhaseOf(t) != phase.Phase) is { } behind)
                {
                    if (trafficRounds[eventIndex] >= phase.MaxRounds)
                    {
                        outcomes.Add((false, $"{behind.Name} is still {PhaseOf(behind)?.ToString().ToLowerInvariant() ?? "without a migration"} after {phase.MaxRounds} rounds"));
                        break;
                    }

                    if (cancellation.IsCancellationRequested)
                    {
                        return false;
                    }

                    TrafficRound(stage);
                }

                if (outcomes.Count == 0)
                {
                    outcomes.Add((true, $"{phase.Phase.ToString().ToLowerInvariant()} after {trafficRounds[eventIndex]} rounds"));
                }

                break;
        }

        if (e is UpgradeEvent or StartMigrationEvent or SnapshotEvent)
        {
            Sample(stage, [.. canisters.Select(_ => (IReadOnlyList<TrafficCall>)[])]);
        }

        var ok = outcomes.All(o => o.Ok);
        var outcome = new EventOutcome(eventIndex, start, Ic.Round, e.Canister ?? string.Join(", ", targets.Select(t => t.Name)), stage, ok, string.Join("; ", outcomes.Select(o => o.Outcome)));
        events.Add(outcome);
        if (!ok)
        {
            failure = $"event {eventIndex} ({stage}) went wrong: {outcome.Outcome}";
        }

        eventIndex++;
        trafficRounds.Add(0);
        WriteProgress();
        options.OnEvent?.Invoke(outcome);
        return true;
    }

    private (bool Ok, string Outcome) Upgrade(CanisterUnderTest t, UpgradeEvent upgrade)
    {
        var installed = Ic.Report(t.Id).ModuleVersion ?? 0;
        var version = ModuleCatalog.VersionOf(upgrade.Module);
        if (upgrade.Downgrade && version >= installed)
        {
            return (false, $"{t.Name}: {upgrade.Module} is not older than the installed v{installed}; write upgrade, not downgrade");
        }

        if (!upgrade.Downgrade && version < installed)
        {
            return (false, $"{t.Name}: {upgrade.Module} is older than the installed v{installed}; write downgrade, not upgrade");
        }

        if (upgrade.Downgrade && version == 1 && installed == 2)
        {
            // v1 reads only its raw layout: v2's pre_upgrade writes it once a controller asks.
            if (Ic.TryUpdate(t.Id, "set_upgrade_format", 1u).Reject is { } refused)
            {
                return (false, $"{t.Name}: set_upgrade_format(1) was rejected: {refused.Message}");
            }
        }

        var result = Ic.TryInstallCode(t.Id, InstallMode.Upgrade, ModuleCatalog.Create(upgrade.Module, upgrade.PreUpgradeTraps), upgrade.Migration, upgrade.SkipPreUpgrade);
        if (result.Reject is { } reject)
        {
            return upgrade.ExpectTrap
                ? (true, $"{t.Name}: rejected as expected, v{installed} stays: {reject.Message}")
                : (false, $"{t.Name}: rejected: {reject.Message}");
        }

        if (upgrade.ExpectTrap)
        {
            return (false, $"{t.Name}: expected to trap, but the upgrade to {upgrade.Module} committed");
        }

        t.Module = upgrade.Module;
        t.PreUpgradeTraps = upgrade.PreUpgradeTraps;
        var state = MigrationStateOf(t);
        return (true, $"{t.Name}: now {upgrade.Module}{(state is null ? "" : $", migration {Phase(state)} ({state.MigratedCount:N0}/{state.SourceCountAtStart:N0})")}");
    }

    private (bool Ok, string Outcome) StartMigration(CanisterUnderTest t, StartMigrationEvent migration)
    {
        var result = Ic.TryUpdate(t.Id, "start_migration", (migration.Direction, migration.Migration));
        return result.Reject is { } reject
            ? (false, $"{t.Name}: start_migration was rejected: {reject.Message}")
            : (true, $"{t.Name}: migrating {(migration.Direction == MigrationDirection.StableToHeap ? "stable → heap" : "heap → stable")}");
    }

    private (bool Ok, string Outcome) Snapshot(CanisterUnderTest t, SnapshotEvent snapshot)
    {
        if (!snapshot.Load)
        {
            try
            {
                var id = Ic.TakeSnapshot(t.Id);
                t.Snapshots.Push((id, t.Module, t.PreUpgradeTraps, t.Workload.Capture()));
                return (true, $"{t.Name}: snapshot {id} of {t.Workload.Model.Count:N0} accounts");
            }
            catch (CanisterRejectException e)
            {
                return (false, $"{t.Name}: take_canister_snapshot was rejected: {e.Message}");
            }
        }

        if (!t.Snapshots.TryPeek(out var taken))
        {
            return (false, $"{t.Name}: no snapshot to load (take one first)");
        }

        if (Ic.LoadSnapshot(t.Id, taken.Id) is { } error)
        {
            return (false, $"{t.Name}: load_canister_snapshot {taken.Id} was rejected: {error.Message}");
        }

        t.Module = taken.Module;
        t.PreUpgradeTraps = taken.PreUpgradeTraps;
        t.Workload.Restore(taken.Model);
        return (true, $"{t.Name}: back to snapshot {taken.Id} ({taken.Model.Count:N0} accounts, {taken.Module})");
    }

    private MigrationPhase? PhaseOf(CanisterUnderTest t) => MigrationStateOf(t)?.Phase;

    /// <summary>v3's migration state, or null for a module without one.</summary>
    private MigrationState? MigrationStateOf(CanisterUnderTest t) =>
        Ic.TryQuery(t.Id, "migration_state").Reply as MigrationState;

    private static string Phase(MigrationState state) =>
        state.Phase.ToString().ToLowerInvariant() + (state.Direction == MigrationDirection.StableToHeap && state.Phase != MigrationPhase.Idle ? " (stable → heap)" : "");
}
