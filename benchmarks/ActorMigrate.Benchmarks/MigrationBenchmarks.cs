using System.Diagnostics;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;
using Akka.Actor;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// The migration benchmark of issue #7, a single long run rather than a BenchmarkDotNet job (one
/// run is 10 s to minutes): N accounts (default 1,000,000, about 200 bytes each) bulk-loaded into v2 by
/// its init argument (<see cref="AccountsBulkLoad"/>), upgraded to v3, then migrated incrementally on
/// the actors — one heartbeat step and one update of traffic per round — until the switch. On the actors
/// the traffic's sender does not wait for one answer before it sends the next update (users of a canister
/// do not wait for each other): it hands the subnet 1,000 updates at a time, one per round
/// (<see cref="RunRounds.OneCallPerRound"/>), and checks every answer, which arrives once its round is
/// durable; <c>--wait-each-answer</c> waits for each answer instead. The same migration of 50,000 accounts
/// runs first, untimed, when the timed run is at least four times larger (<c>--warmup-accounts N</c>, 0 for none).
/// <code>
/// dotnet run -c Release --project benchmarks/ActorMigrate.Benchmarks -- migration [--accounts N] [--chunk 20 | --budget PERMILLE] [--journal memory|sqlite|none] [--checkpoint-rounds N] [--engine] [--wait-each-answer] [--warmup-accounts N]
/// </code>
/// Prints wall-clock (fill, upgrade, migration; the migration also with the process's CPU time, which a
/// shared machine's load disturbs less than wall-clock, and the time the GC paused it), rounds, steps, instructions per step (mean, largest,
/// against one slice) and the process's peak working set.
/// </summary>
public static class MigrationBenchmarks
{
    private const int DefaultWarmUpAccounts = 50_000;

    public static int Run(string[] args)
    {
        var accounts = Option(args, "--accounts", 1_000_000);

        // A default warm-up only where it is small against the timed run.
        var warmup = Option(args, "--warmup-accounts", accounts >= 4 * DefaultWarmUpAccounts ? DefaultWarmUpAccounts : 0);
        if (warmup > 0)
        {
            WarmUp(args, warmup);
        }

        var chunk = Option(args, "--chunk", 20);
        var budget = Option(args, "--budget", 0);
        var journal = OptionText(args, "--journal", "memory");
        var onEngine = args.Contains("--engine");
        var waitEachAnswer = args.Contains("--wait-each-answer");
        var checkpointRounds = Option(args, "--checkpoint-rounds", -1);
        var sizing = budget > 0 ? StepSizing.Budget(budget) : StepSizing.Fixed(chunk);
        var folder = Directory.CreateTempSubdirectory("actormigrate-migration-bench-").FullName;
        ActorSystem? system = null;
        ICanisterHarness ic;
        if (onEngine)
        {
            ic = new EngineHarness();
            journal = "bare engine";
        }
        else
        {
            var persistence = journal switch
            {
                "memory" => ActorMigratePersistence.Config(PersistenceJournal.InMemory),
                "sqlite" => ActorMigratePersistence.Config(PersistenceJournal.Sqlite(Path.Combine(folder, "bench.db"))),
                "none" => ActorMigratePersistence.Config(PersistenceJournal.InMemory),
                _ => throw new ArgumentException($"--journal {journal}: expected memory, sqlite or none"),
            };
            if (checkpointRounds >= 0)
            {
                // A checkpoint writes the whole stable image (hundreds of MiB at 1M accounts): how often is the caller's choice.
                persistence = Akka.Configuration.ConfigurationFactory
                    .ParseString($"actormigrate.persistence.stable-memory.snapshot-interval-rounds = {checkpointRounds}")
                    .WithFallback(persistence);
            }

            system = ActorSystem.Create("migration-bench", ActorMigratePersistence.Setup(persistence));
            var settings = journal == "none" ? SubnetActorSettings.Volatile() : SubnetActorSettings.FromConfig(system.Settings.Config);
            ic = new ActorHarness(settings, system) { Timeout = TimeSpan.FromMinutes(10) };
        }

        try
        {
            Console.WriteLine($"{accounts:N0} accounts, checkpoints every {(checkpointRounds >= 0 ? checkpointRounds.ToString() : "hocon's")} rounds, {(sizing.BudgetDriven ? $"budget-driven steps ({sizing.SliceSharePermille}‰ of a slice)" : $"fixed steps of {sizing.ChunkSize}")}, journal: {journal}");
            var clock = Stopwatch.StartNew();
            var id = ic.CreateCanister();
            ic.Install(id, new AccountsV2(), new AccountsBulkLoad(accounts));
            var fill = clock.Elapsed;

            // The bulk install owes the install_code rate limit (2 B instructions a round): wait it out, as on the IC.
            var waited = 0;
            CallResult upgraded;
            while (true)
            {
                clock.Restart();
                upgraded = ic.TryInstallCode(id, InstallMode.Upgrade, new AccountsV3(), new MigrationSettings { Sizing = sizing, Triggers = MigrationTriggers.Heartbeat });
                if (upgraded.Reject is not { Code: ErrorCode.CanisterInstallCodeRateLimited })
                {
                    break;
                }

                ic.Tick(10);
                waited += 10;
            }

            upgraded.Unwrap();
            var upgrade = clock.Elapsed;
            var upgradeInstructions = ic.Report(id).LastInstructionsUsed;

            clock.Restart();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (pausedBefore, gen2Before, allocatedBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
            var firstRound = ic.Round;
            var traffic = 0;
            var heartbeatInstructions = 0L;
            var heartbeats = 0L;
            MigrationState state;
            do
            {
                // One update of traffic per round: new accounts above every bulk-loaded key, and overwrites below.
                var batch = Enumerable.Range(traffic, 1_000)
                    .Select(t => t % 2 == 0 ? AccountGenerator.Compact(accounts + t) : AccountGenerator.Compact(t % accounts))
                    .ToList();
                if (ic is ActorHarness actors && !waitEachAnswer)
                {
                    PacedByRounds(actors, system!, id, batch);
                }
                else
                {
                    batch.ForEach(account => ic.Update<bool>(id, "put_account", account));
                }

                traffic += batch.Count;

                foreach (var execution in ic.Executions(id, afterRound: firstRound).Where(e => e.Kind == ExecutionKind.Heartbeat))
                {
                    heartbeatInstructions += execution.InstructionsUsed;
                    heartbeats++;
                }

                firstRound = ic.Round;
                state = ic.Query<MigrationState>(id, "migration_state");
            }
            while (state.Phase == MigrationPhase.Migrating);

            var migration = clock.Elapsed;
            var migrationCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var (paused, gen2, allocated) = (GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(2) - gen2Before, GC.GetTotalAllocatedBytes() - allocatedBefore);
            var rounds = ic.Round;
            var count = ic.Query<long>(id, "account_count");
            var expected = accounts + (traffic + 1) / 2;
            var slice = SubnetSettings.Default.Limits.MaxInstructionsPerSlice;
            Console.WriteLine($"fill (install with AccountsBulkLoad): {fill.TotalSeconds:F1} s");
            Console.WriteLine($"upgrade v2 → v3 (after {waited} rounds of install_code rate limit): {upgrade.TotalSeconds:F1} s, {upgradeInstructions:N0} instructions");
            Console.WriteLine($"migration: {migration.TotalSeconds:F1} s wall-clock ({migrationCpu.TotalSeconds:F1} s of CPU in the process), phase {state.Phase}{(state.AbortReason.Length > 0 ? $" ({state.AbortReason})" : "")}");
            Console.WriteLine($"garbage collection during the migration: {paused.TotalSeconds:F1} s paused, {gen2:N0} gen-2 collections, {allocated / (1 << 20):N0} MiB allocated");
            Console.WriteLine($"rounds: {rounds:N0} in all; steps: {state.Steps:N0}; traffic updates: {traffic:N0}");
            Console.WriteLine($"instructions per step: mean {(heartbeats > 0 ? heartbeatInstructions / heartbeats : 0):N0} (over the {heartbeats:N0} heartbeats still in the trace), largest {state.LargestStepInstructions:N0} = {100.0 * state.LargestStepInstructions / slice:F2} % of a {slice:N0}-instruction slice");
            Console.WriteLine($"accounts after: {count:N0} (expected {expected:N0})");
            Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB");
            return count == expected && state.Phase == MigrationPhase.Completed ? 0 : 1;
        }
        finally
        {
            (ic as IDisposable)?.Dispose();
            system?.Terminate().Wait(TimeSpan.FromSeconds(30));
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // the SQLite pool may still hold the file
            }
        }
    }

    /// <summary>
    /// Hands the batch to the subnet in one <see cref="RunRounds"/>, one update a round, answered as soon as
    /// the last of those rounds ran (the journal writes behind them); the answers go to a collector that
    /// fails on a reject. Awaited, not blocked on: a blocked driver thread spins, and on two cores that is
    /// CPU the rounds need.
    /// </summary>
    private static void PacedByRounds(ActorHarness actors, ActorSystem system, Principal canister, List<Account> batch)
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = system.ActorOf(Props.Create(() => new AnswerCollector(answered, batch.Count)));
        Paced().GetAwaiter().GetResult();
        system.Stop(collector);

        async Task Paced()
        {
            var ingress = batch.Select(account => (new UpdateCall(canister, "put_account", account, actors.Controller), collector)).ToList();
            await actors.Subnet.Ask<RoundsRun>(new RunRounds(batch.Count, AwaitJournal: false) { Ingress = ingress, OneCallPerRound = true }, actors.Timeout);

            await answered.Task.WaitAsync(actors.Timeout);
        }
    }

    /// <summary>Counts the traffic's answers, which arrive once their rounds are durable; the first reject fails the run.</summary>
    private sealed class AnswerCollector : ReceiveActor
    {
        public AnswerCollector(TaskCompletionSource answered, int expected)
        {
            var left = expected;
            Receive<CallResult>(result =>
            {
                if (result.Reject is { } error)
                {
                    answered.TrySetException(new CanisterRejectException(error));
                }
                else if (--left == 0)
                {
                    answered.TrySetResult();
                }
            });
        }
    }

    /// <summary>
    /// The same migration on <paramref name="accounts"/> accounts first, untimed and unprinted, so that the
    /// timed run does not also pay the JIT for the code paths only a migration reaches (the IC compiles a
    /// canister's Wasm before it runs; BenchmarkDotNet warms up the same way).
    /// </summary>
    private static void WarmUp(string[] args, int accounts)
    {
        var output = Console.Out;
        var clock = Stopwatch.StartNew();
        Console.SetOut(TextWriter.Null);
        int exitCode;
        try
        {
            // Options read their first occurrence: these two, put first, override the caller's.
            exitCode = Run(["--accounts", accounts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--warmup-accounts", "0", .. args]);
        }
        finally
        {
            Console.SetOut(output);
        }

        Console.WriteLine($"warm-up: the same migration of {accounts:N0} accounts, untimed ({clock.Elapsed.TotalSeconds:F1} s{(exitCode == 0 ? "" : ", and it FAILED: rerun it with --accounts to see why")})");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
