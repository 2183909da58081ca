using System.ComponentModel;
using ActorMigrate.Examples.Accounts.Fuzzing;
using ActorMigrate.Testing.Fuzzing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate fuzz</c>: runs generated interleavings of upgrades, downgrades, faults and traffic
/// against the accounts example with one strategy (a correct one or a mutant), checks the invariants of
/// issue #8 after every operation, and on a failure prints the seed and the shrunk sequence and writes it
/// as a JSON operation list that <c>--replay</c> runs again exactly. <c>--mutants</c> prints the mutation table.
/// </summary>
public sealed class FuzzCommand : Command<FuzzCommand.Settings>
{
    /// <summary>Exit code when an invariant failed (a counterexample was found) or the mutation check did not come out right.</summary>
    public const int FailureExitCode = 2;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--strategy <NAME>")]
        [Description("dual-write (default), pointer-routed, budget-driven, self-call, or a mutant (mutant-...)")]
        public string? Strategy { get; init; }

        [CommandOption("--budget <N>")]
        [Description("Sequences to run (default 200); with --mutants, runs per campaign")]
        public int Budget { get; init; } = 200;

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the first sequence (default 1); run i uses seed + i")]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--replay <FILE>")]
        [Description("Run the JSON operation list in FILE exactly, instead of generated sequences")]
        public string? Replay { get; init; }

        [CommandOption("--parallel")]
        [Description("Run sequences on every core")]
        public bool Parallel { get; init; }

        [CommandOption("--actors")]
        [Description("Run on the actors with the in-memory journal (crashes included) instead of the bare engine")]
        public bool Actors { get; init; }

        [CommandOption("--mutants")]
        [Description("Run the mutation check: 5 campaigns per strategy and mutant (only --strategy's, when given); print the table")]
        public bool Mutants { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where a failure's JSON operation list is written (default: the current folder)")]
        public string Out { get; init; } = ".";

        public override ValidationResult Validate()
        {
            var target = AccountsFuzzTarget.Instance;
            if (Strategy is { } s && !target.Strategies.Contains(s) && !target.Mutants.Contains(s))
            {
                return ValidationResult.Error($"--strategy {s} is unknown; choose one of {string.Join(", ", target.Strategies.Concat(target.Mutants))}");
            }

            return Budget < 1 ? ValidationResult.Error("--budget must be at least 1") :
                Replay is { } file && !File.Exists(file) ? ValidationResult.Error($"--replay {file}: no such file") :
                ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var target = AccountsFuzzTarget.Instance;
        if (settings.Replay is { } file)
        {
            return Replay(target, settings, file);
        }

        if (settings.Mutants)
        {
            var rows = MutationCheck.Run(target, Host(target, target.Strategies[0], settings), settings.Budget, parallel: settings.Parallel,
                correctBudget: Math.Max(1, settings.Budget / 10), baseSeed: settings.Seed, only: settings.Strategy is { } one ? [one] : null, progress: line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            Console.WriteLine(MutationCheck.Format(rows, settings.Budget));
            return rows.All(r => r.AsExpected) ? 0 : FailureExitCode;
        }

        var strategy = settings.Strategy ?? target.Strategies[0];
        var options = new FuzzSequenceOptions(Crashes: settings.Actors);
        FuzzCampaignResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"fuzz {strategy}", maxValue: settings.Budget);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                result = FuzzCampaign.Run(target, strategy, Host(target, strategy, settings), settings.Seed, settings.Budget, settings.Parallel, options,
                    progress: done =>
                    {
                        task.Value = done;
                        task.Description = $"fuzz {strategy}: {done} runs, {done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):0} runs/s";
                    });
                task.Value = settings.Budget;
            });

        var r = result!;
        Console.WriteLine($"{r.Runs} sequences in {r.Elapsed.TotalSeconds:0.0} s ({r.RunsPerSecond:0.0} runs/s), {(settings.Actors ? "actors" : "engine")}{(settings.Parallel ? ", parallel" : "")}");
        var table = new Table().AddColumns("event", "sequences");
        foreach (var kind in Enum.GetValues<FuzzEvents>().Where(k => k != FuzzEvents.None))
        {
            table.AddRow(kind.ToString(), r.EventCounts.GetValueOrDefault(kind).ToString());
        }

        AnsiConsole.Write(table);
        if (r.Failure is null)
        {
            Console.WriteLine($"no invariant failed ({strategy})");
            return 0;
        }

        var (shrunk, shrunkResult) = FuzzCampaign.Shrink(target, strategy, Host(target, strategy, settings), r.FailingSequence!);
        Directory.CreateDirectory(settings.Out);
        var path = Path.Combine(settings.Out, $"fuzz-{strategy}-seed{r.FailingSeed}.json");
        File.WriteAllText(path, FuzzOperationsJson.Write(new FuzzOperationsJson.Document(target.Name, strategy, r.FailingSeed, shrunkResult.Failure, shrunk)));
        Console.WriteLine($"FAILED {strategy} at run {r.RunsToFirstFailure}, seed {r.FailingSeed}: {r.Failure.Failure}");
        Console.WriteLine($"shrunk from {r.FailingSequence!.Count} to {shrunk.Count} operations: {shrunkResult.Failure}");
        Console.WriteLine(FuzzCampaign.Format(shrunk));
        Console.WriteLine($"operation list: {path} (replay: actormigrate fuzz --replay {path})");
        return FailureExitCode;
    }

    private static int Replay(AccountsFuzzTarget target, Settings settings, string file)
    {
        FuzzOperationsJson.Document list;
        try
        {
            list = FuzzOperationsJson.Read(File.ReadAllText(file), target);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: --replay {file}: {e.Message}");
            return ActorMigrateApp.UsageErrorExitCode;
        }

        var strategy = settings.Strategy ?? list.Strategy;
        var result = FuzzRunner.Run(target, strategy, Host(target, strategy, settings), list.Operations);
        Console.WriteLine($"replayed {list.Operations.Count} operations of {file} with {strategy}");
        if (result.Passed)
        {
            Console.WriteLine("every invariant held");
            return 0;
        }

        Console.WriteLine($"FAILED after operation {result.FailedAt}: {result.Failure}");
        return FailureExitCode;
    }

    private static Func<FuzzHost> Host(AccountsFuzzTarget target, string strategy, Settings settings) =>
        settings.Actors
            ? () => new ActorFuzzHost(target.Subnet, target.Versions.Select(v => target.Module(strategy, v)))
            : () => new EngineFuzzHost(target.Subnet);
}
