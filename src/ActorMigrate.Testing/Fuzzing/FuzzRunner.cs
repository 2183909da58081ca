using System.Runtime.CompilerServices;
using ActorMigrate.Canisters;
using ActorMigrate.Migration;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// Applies a sequence of <see cref="FuzzOperation"/>s to a canister of a <see cref="FuzzTarget"/> and to
/// a model (a sorted map from key to value), and checks the invariants after every operation:
/// <list type="number">
/// <item>every record equals the model (the touched key after a put, remove, get or range; every record
/// and the count after every other operation);</item>
/// <item>a failed upgrade changed nothing: same module, same migration epoch, every record as before;</item>
/// <item>canister_version never decreases;</item>
/// <item>the migration pointer never moves backwards within an epoch, across upgrades included (a loaded snapshot restarts the watch);</item>
/// <item>every step stayed within its share of the limit (<see cref="CompletionBound.StepInstructions"/>);</item>
/// <item>exactly one store is authoritative (the state names one schema as source, the other as target);</item>
/// <item>no migration aborts: nothing but a broken strategy can make the completion checks fail;</item>
/// <item>strangers are always refused (upgrade and step endpoint);</item>
/// <item>once traffic stops, the migration completes (not aborts) within <see cref="CompletionBound.Steps"/> step executions.</item>
/// </list>
/// The last one is checked by a final drain: the canister is started, upgraded to the migrating version
/// when it is not on it, and ticked until its migration completes.
/// </summary>
public sealed class FuzzRunner
{
    public static readonly Principal Stranger = new("fuzz-stranger");

    private readonly FuzzTarget target;
    private readonly string strategy;
    private readonly FuzzHost host;
    private readonly SortedDictionary<string, object> model = new(StringComparer.Ordinal);
    private readonly List<(ulong Id, SortedDictionary<string, object> Model, int Version)> snapshots = [];
    private readonly long slice;
    private Principal canister;
    private int installed;
    private bool stopped;
    private ulong lastCanisterVersion;
    private (ulong Epoch, byte[]? Pointer)? lastPointer;
    private FuzzEvents events;

    public FuzzRunner(FuzzTarget target, string strategy, FuzzHost host)
    {
        this.target = target;
        this.strategy = strategy;
        this.host = host;
        slice = target.Subnet.Limits.MaxInstructionsPerSlice;
        installed = target.Versions[0];
        canister = Ic.CreateAndInstall(target.Module(strategy, installed));
    }

    private ICanisterHarness Ic => host.Harness;

    /// <summary>The host this runner drives (its owner disposes it).</summary>
    public FuzzHost Host => host;

    /// <summary>Runs <paramref name="operations"/> on a fresh host from <paramref name="hostFactory"/>; never throws for an invariant.</summary>
    public static FuzzResult Run(FuzzTarget target, string strategy, Func<FuzzHost> hostFactory, IReadOnlyList<FuzzOperation> operations, bool drain = true)
    {
        using var host = hostFactory();
        var runner = new FuzzRunner(target, strategy, host);
        return runner.Apply(operations, drain);
    }

    public FuzzResult Apply(IReadOnlyList<FuzzOperation> operations, bool drain = true)
    {
        var index = 0;
        try
        {
            for (; index < operations.Count; index++)
            {
                Apply(operations[index]);
                CheckAlways();
            }

            if (drain)
            {
                Drain();
            }

            return new FuzzResult(null, -1, events, operations.Count);
        }
        catch (FuzzInvariantException e)
        {
            return new FuzzResult(e.Message, index, events, index);
        }
        catch (CanisterRejectException e)
        {
            return new FuzzResult($"an operation the runner expected to succeed was rejected: {e.Message}", index, events, index);
        }
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what);
        }
    }

    /// <summary>The same check with a message that is formatted only when <paramref name="condition"/> is false.</summary>
    private static void Require(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref InvariantMessage what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what.ToString());
        }
    }

    public void Apply(FuzzOperation op)
    {
        switch (op)
        {
            case PutOp put:
                if (Ic.TryUpdate(canister, target.PutMethod, target.PutArgument(put.Key, put.Value)).Reject is null)
                {
                    model[put.Key] = put.Value;
                }

                CheckKey(put.Key);
                break;
            case RemoveOp remove:
                if (Ic.TryUpdate(canister, target.RemoveMethod, remove.Key).Reject is null)
                {
                    model.Remove(remove.Key);
                }

                CheckKey(remove.Key);
                break;
            case GetOp get:
                CheckKey(get.Key);
                break;
            case RangeOp range:
                CheckRange(range.From, Math.Max(1, range.Limit));
                break;
            case TickOp tick:
                Ic.Tick(Math.Clamp(tick.Rounds, 1, 50));
                CheckAll();
                break;
            case AdvanceTimeOp time:
                Ic.AdvanceTime(TimeSpan.FromSeconds(Math.Clamp(time.Seconds, 0, 3_600)));
                Ic.Tick();
                CheckAll();
                break;
            case UpgradeOp upgrade:
                Upgrade(upgrade);
                break;
            case ReverseMigrationOp reverse:
                if (installed == target.MigratingVersion &&
                    Ic.TryUpdate(canister, target.StartMigrationMethod, target.ReverseMigrationArgument(strategy, Math.Max(1, reverse.Chunk))).Reject is null)
                {
                    events |= FuzzEvents.ReverseMigration;
                }

                CheckAll();
                break;
            case TrapNextOp trap:
                host.InjectTrap(canister, trap.Kind);
                events |= FuzzEvents.TrapArmed;
                break;
            case CrashOp:
                if (host.CanCrash)
                {
                    host.Crash();
                    snapshots.Clear(); // snapshots live in the crashed process (a documented deviation, docs/actors.md)
                    events |= FuzzEvents.Crash;
                    CheckAll();
                }

                break;
            case StopOp:
                if (Ic.Stop(canister) is null)
                {
                    stopped = true;
                    events |= FuzzEvents.Stopped;
                }

                break;
            case StartOp:
                if (Ic.Start(canister) is null)
                {
                    stopped = false;
                }

                CheckAll();
                break;
            case TakeSnapshotOp:
                snapshots.Add((Ic.TakeSnapshot(canister), new SortedDictionary<string, object>(model, StringComparer.Ordinal), installed));
                events |= FuzzEvents.SnapshotTaken;
                break;
            case LoadSnapshotOp load when snapshots.Count > 0:
                var snapshot = snapshots[Math.Abs(load.Index % snapshots.Count)];
                var loadError = Ic.LoadSnapshot(canister, snapshot.Id);
                Require(loadError is null, $"loading snapshot {snapshot.Id} failed: {loadError}");
                model.Clear();
                foreach (var (key, value) in snapshot.Model)
                {
                    model[key] = value;
                }

                installed = snapshot.Version;
                lastPointer = null; // the snapshot's pointer is older by design
                events |= FuzzEvents.SnapshotLoaded;
                CheckAll();
                break;
            case StrangerUpgradeOp strangerUpgrade:
                var refusedUpgrade = Ic.TryInstallCode(canister, InstallMode.Upgrade, target.Module(strategy, Clamp(strangerUpgrade.Version)),
                    target.UpgradeArgument(strategy, Clamp(strangerUpgrade.Version), 0), sender: Stranger);
                Require(refusedUpgrade.Reject is not null, $"a stranger's upgrade to v{strangerUpgrade.Version} was accepted");
                Require(Ic.Report(canister).ModuleVersion == installed, "a stranger's refused upgrade changed the module");
                events |= FuzzEvents.StrangerRefused;
                break;
            case StrangerStepOp strangerStep:
                var refusedStep = Ic.TryUpdate(canister, target.StepMethod, strangerStep.Chunk, Stranger);
                Require(refusedStep.Reject is not null, $"a stranger's call of {target.StepMethod} was accepted: {refusedStep.Reply}");
                events |= FuzzEvents.StrangerRefused;
                break;
        }
    }

    private int Clamp(int version) => target.Versions.Contains(version) ? version : target.Versions[Math.Abs(version) % target.Versions.Count];

    private void Upgrade(UpgradeOp op)
    {
        var to = Clamp(op.Version);
        var before = State();
        var skip = op.SkipPreUpgrade && target.SkipPreUpgradeKeepsRecords(installed, before);
        var result = target.Upgrade(Ic, canister, strategy, installed, to, op.Settings, skip, Ic.Controller);
        if (result.Reject is not null)
        {
            events |= FuzzEvents.FailedUpgrade;
            Require(Ic.Report(canister).ModuleVersion == installed, $"a failed upgrade to v{to} ({result.Reject}) changed the module to v{Ic.Report(canister).ModuleVersion}");
            var after = State();
            Require(before?.Epoch == after?.Epoch, $"a failed upgrade to v{to} ({result.Reject}) changed the migration epoch from {before?.Epoch} to {after?.Epoch}");
            CheckAll($"after a failed upgrade to v{to} ({result.Reject})");
            return;
        }

        events |= FuzzEvents.Upgrade;
        if (skip)
        {
            events |= FuzzEvents.SkipPreUpgrade;
        }

        if (to < installed)
        {
            events |= FuzzEvents.Downgrade;
            if (before?.Phase == MigrationPhase.Migrating)
            {
                events |= FuzzEvents.PartWayDowngrade;
            }
        }
        else if (to == installed && before?.Phase == MigrationPhase.Migrating)
        {
            events |= FuzzEvents.PartWayUpgrade;
        }

        installed = to;
        if (to != target.MigratingVersion)
        {
            lastPointer = null; // an older version knows no migration state: it may forget it (v1's raw layout overwrites it)
        }

        CheckAll($"after the upgrade to v{to}");
    }

    private MigrationState? State()
    {
        if (installed != target.MigratingVersion || stopped)
        {
            return null;
        }

        var reply = Ic.TryQuery(canister, target.MigrationStateMethod);
        return reply.Reject is null ? reply.Reply as MigrationState : null;
    }

    /// <summary>The invariants checked after every operation, whatever it was.</summary>
    private void CheckAlways()
    {
        var report = Ic.Report(canister);
        Require(report.Version >= lastCanisterVersion, $"canister_version went back from {lastCanisterVersion} to {report.Version}");
        lastCanisterVersion = report.Version;
        Require(report.ModuleVersion == installed, $"the canister runs v{report.ModuleVersion}, the model expects v{installed}");
        if (State() is not { } state)
        {
            return;
        }

        Require(state.Phase != MigrationPhase.Aborted, $"the migration aborted: {state.AbortReason}");
        Require(state.SourceSchema != state.TargetSchema && (state.Authoritative == state.SourceSchema || state.Authoritative == state.TargetSchema),
            $"not exactly one authoritative store: source {state.SourceSchema}, target {state.TargetSchema}, phase {state.Phase}");
        if (CompletionBound.StepInstructions(state.Sizing, slice, target.MaxInstructionsPerRecord) is { } stepLimit)
        {
            Require(state.LargestStepInstructions <= stepLimit, $"a step used {state.LargestStepInstructions} instructions, beyond its share of {stepLimit}");
        }

        if (lastPointer is { } last && last.Epoch == state.Epoch && last.Pointer is not null)
        {
            Require(state.Pointer is not null && ((ReadOnlySpan<byte>)state.Pointer).SequenceCompareTo(last.Pointer) >= 0,
                $"the migration pointer moved backwards in epoch {state.Epoch}");
        }

        lastPointer = (state.Epoch, state.Pointer);
        if (state.Phase == MigrationPhase.Completed)
        {
            events |= FuzzEvents.MigrationCompleted;
        }
    }

    private void CheckKey(string key)
    {
        if (stopped)
        {
            return;
        }

        var reply = Ic.TryQuery(canister, target.GetMethod, key);
        if (reply.Reject is not null)
        {
            throw new FuzzInvariantException($"get {key} was rejected: {reply.Reject}");
        }

        var expected = model.GetValueOrDefault(key);
        Require(expected is null ? reply.Reply is null : reply.Reply is not null && target.SameValue(expected, reply.Reply),
            $"record {key}: the canister has {(reply.Reply is null ? "none" : "a different value")}, the model {(expected is null ? "none" : "a value")}");
    }

    private void CheckRange(string from, int limit)
    {
        if (stopped)
        {
            return;
        }

        var reply = Ic.TryQuery(canister, target.RangeMethod, target.RangeArgument(from, limit));
        Require(reply.Reject is null, $"range from {from} was rejected: {reply.Reject}");
        var expected = model.Where(kv => string.CompareOrdinal(kv.Key, from) >= 0).Take(limit).ToList();
        Compare(expected, target.Records(reply.Reply), $"range from '{from}' limit {limit}");
    }

    private void CheckAll(string? when = null)
    {
        if (stopped)
        {
            return;
        }

        var reply = Ic.TryQuery(canister, target.AllMethod);
        Require(reply.Reject is null, $"reading every record was rejected{(when is null ? "" : " " + when)}: {reply.Reject}");
        Compare([.. model], target.Records(reply.Reply), when ?? "every record");
    }

    private void Compare(List<KeyValuePair<string, object>> expected, IReadOnlyList<KeyValuePair<string, object>> actual, string what)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Require(expected[i].Key == actual[i].Key, $"{what}: record {i} is {actual[i].Key}, the model has {expected[i].Key}");
            Require(target.SameValue(expected[i].Value, actual[i].Value), $"{what}: record {actual[i].Key} differs from the model");
        }

        Require(expected.Count == actual.Count,
            $"{what}: {actual.Count} records, the model has {expected.Count}{(expected.Count > actual.Count ? $" (first missing: {expected[actual.Count].Key})" : "")}");
    }

    /// <summary>Traffic stops: start, bring the canister to the migrating version, and tick until the migration is over.</summary>
    private void Drain()
    {
        if (stopped)
        {
            Require(Ic.Start(canister) is null, "the canister could not be started again");
            stopped = false;
        }

        for (var attempt = 0; installed != target.MigratingVersion && attempt < 5; attempt++)
        {
            Apply(new UpgradeOp(target.MigratingVersion, 0));
            CheckAlways();
            if (installed != target.MigratingVersion)
            {
                Ic.Tick(5); // e.g. the install_code rate limit
            }
        }

        Require(installed == target.MigratingVersion, $"the canister could not be upgraded to v{target.MigratingVersion} to finish");
        var start = State() ?? throw new FuzzInvariantException("the migration state could not be read");
        if (start.Phase != MigrationPhase.Migrating)
        {
            return;
        }

        var bound = CompletionBound.Steps(model.Count, start.Sizing, slice, target.MaxInstructionsPerRecord);
        var state = start;
        for (var round = 0; round < 4 * bound + 20 && state.Phase == MigrationPhase.Migrating; round++)
        {
            Ic.AdvanceTime(TimeSpan.FromSeconds(1));
            Ic.Tick();
            CheckAlways();
            state = State()!;
        }

        var steps = (long)(state.Steps - start.Steps);
        Require(state.Phase != MigrationPhase.Migrating, $"the migration stalled: still migrating after {4 * bound + 20} rounds without traffic ({steps} steps committed, pointer at {state.MigratedCount} records)");
        Require(state.Phase == MigrationPhase.Completed, $"the migration aborted without traffic: {state.AbortReason}");
        Require(steps <= bound, $"the migration took {steps} steps once traffic stopped; the bound for {model.Count} records is {bound}");
        events |= FuzzEvents.MigrationCompleted;
        CheckAll("after the migration finished");
    }
}
