using System.ComponentModel;
using System.Diagnostics;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Reports;
using ActorMigrate.Scenarios.Running;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate run [SCENARIO.conf]</c>: plays a migration scenario (the flagship when none is named)
/// with live progress, checks every record against an independent model, prints a summary and writes
/// report.json and chart.svg into the run folder. Ctrl-C stops between rounds; <c>--resume DIR</c> continues.
/// Exit codes: 0 every record matches; 1 bad input; 2 a record, an answer or an event went wrong; 130 interrupted.
/// </summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public const int FailedExitCode = 2;
    public const int InterruptedExitCode = 130;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[SCENARIO]")]
        [Description("A scenario file (examples/scenarios/*.conf); none: the flagship")]
        public string? Scenario { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("The run folder (journal, progress, report.json, chart.svg); default ./actormigrate-runs/<utc time>")]
        public string? Out { get; init; }

        [CommandOption("--resume <DIR>")]
        [Description("Continue the interrupted run in DIR (a run on the sqlite journal)")]
        public string? Resume { get; init; }

        [CommandOption("--journal <JOURNAL>")]
        [Description("sqlite (resumable), memory, or none (the bare engine); default: the scenario's")]
        public string? Journal { get; init; }

        public override ValidationResult Validate() =>
            Resume is not null && (Scenario is not null || Out is not null) ? ValidationResult.Error("--resume continues a run folder: give no SCENARIO and no --out with it") :
            Journal is not null && Journal is not ("sqlite" or "memory" or "none") ? ValidationResult.Error($"--journal {Journal}: must be sqlite, memory or none") :
            ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true; // stop between rounds, not mid-round: the journal stays consistent
            interrupt.Cancel();
        }

        Console.CancelKeyPress += OnCancel;
        try
        {
            return Run(settings, interrupt.Token);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ActorMigrateApp.UsageErrorExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    private static int Run(Settings settings, CancellationToken cancellation)
    {
        var journal = settings.Journal switch
        {
            "sqlite" => ScenarioJournal.Sqlite,
            "memory" => ScenarioJournal.Memory,
            "none" => ScenarioJournal.None,
            _ => (ScenarioJournal?)null,
        };
        Scenario? scenario = null;
        string folder;
        if (settings.Resume is { } resume)
        {
            folder = resume;
        }
        else
        {
            scenario = settings.Scenario is null ? ScenarioLoader.Flagship() : ScenarioLoader.LoadFile(settings.Scenario);
            folder = settings.Out ?? RunFolder.Fresh(Path.Combine(".", "actormigrate-runs"), DateTime.UtcNow).Path;
            if (File.Exists(new RunFolder(folder).Progress))
            {
                throw new ConfigurationException($"{folder}: already holds a run; continue it with --resume {folder}, or choose another --out");
            }
        }

        AnsiConsole.MarkupLine(scenario is null
            ? $"Resuming the run in [bold]{Markup.Escape(folder)}[/]"
            : $"Running [bold]{Markup.Escape(scenario.Name)}[/]{(scenario.Description.Length > 0 ? $" ({Markup.Escape(scenario.Description)})" : "")} on {(journal ?? scenario.Journal).ToString().ToLowerInvariant()} in [bold]{Markup.Escape(folder)}[/]");
        var live = new LiveProgress();
        var options = new RunOptions { Folder = folder, Journal = journal, OnRound = live.Round, OnEvent = live.Event };
        ScenarioReport report = null!;
        live.Show(() => report = scenario is null
            ? ScenarioRunner.Resume(folder, options, cancellation)
            : ScenarioRunner.Run(scenario, options, cancellation));
        Summary(report, new RunFolder(folder));
        return report.Status switch
        {
            "passed" => 0,
            "interrupted" => InterruptedExitCode,
            _ => FailedExitCode,
        };
    }

    private static void Summary(ScenarioReport report, RunFolder folder)
    {
        var table = new Table().AddColumn("").AddColumn("");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("scenario", $"{report.Scenario} (seed {report.Seed}, journal {report.Journal})");
        Row("status", report.Status + (report.Failure is null ? "" : $": {report.Failure}"));
        Row("rounds", $"{report.Rounds:N0}");
        Row("migration steps", $"{report.Steps:N0}");
        Row("wall-clock time", $"{report.WallClockSeconds:F1} s{(report.Resumes > 0 ? $" over {report.Resumes + 1} runs" : "")}");
        Row("simulated time", TimeSpan.FromSeconds(Math.Round(report.SimulatedSeconds)).ToString());
        Row("largest step (slice limit)", $"{report.LargestStepInstructions:N0} instructions ({report.SliceInstructions:N0}, {Percent(report.LargestStepInstructions, report.SliceInstructions)})");
        Row("heap high-water", ProgressChart.Bytes(report.HeapHighWaterBytes));
        Row("stable memory", ProgressChart.Bytes(report.StableBytes));
        Row("traffic served: heap reads / writes", $"{report.HeapReads:N0} / {report.HeapWrites:N0}");
        Row("traffic served: stable reads / writes", $"{report.StableReads:N0} / {report.StableWrites:N0}");
        Row("answers checked (differing)", $"{report.CallsChecked:N0} ({report.CallsDiffering:N0})");
        Row("records checked against the model", report.Status == "interrupted" ? "not yet (interrupted)" : $"{report.RecordsChecked:N0}");
        Row("lost", report.Status == "interrupted" ? "-" : $"{report.Lost:N0}");
        AnsiConsole.Write(table);
        foreach (var d in report.Differences.Take(20))
        {
            AnsiConsole.MarkupLine($"[red]differs[/] {Markup.Escape($"{d.Canister} {d.Principal} (round {d.Round}): {d.What}")}");
        }

        if (report.Differences.Count > 20)
        {
            AnsiConsole.MarkupLine($"… and {report.Differences.Count - 20} more in report.json");
        }

        AnsiConsole.MarkupLine($"report: {Markup.Escape(folder.Report)}");
        AnsiConsole.MarkupLine($"chart:  {Markup.Escape(folder.Chart)}");
        if (report.Status == "interrupted")
        {
            AnsiConsole.MarkupLine($"interrupted at round {report.Rounds:N0}; continue with: actormigrate run --resume {Markup.Escape(folder.Path)}");
        }
    }

    private static string Percent(long part, long whole) => whole == 0 ? "-" : $"{100.0 * part / whole:F2} %";

    /// <summary>
    /// The live view: a table redrawn at most ten times a second on an interactive terminal; elsewhere
    /// (pipes, CI, tests) one line per script event and one every 100 rounds.
    /// </summary>
    private sealed class LiveProgress
    {
        private readonly Stopwatch sinceDraw = Stopwatch.StartNew();
        private readonly List<string> recent = [];
        private readonly bool interactive = AnsiConsole.Profile.Capabilities.Interactive;
        private LiveDisplayContext? context;
        private RoundSample? last;

        /// <summary>The largest step so far: a sample holds only its own round's, which is 0 in a round without one.</summary>
        private long largestStep;

        public void Show(Action run)
        {
            if (!interactive)
            {
                run();
                return;
            }

            AnsiConsole.Live(Render()).AutoClear(false).Start(ctx =>
            {
                context = ctx;
                run();
                ctx.UpdateTarget(Render());
            });
        }

        public void Round(RoundSample sample)
        {
            last = sample;
            largestStep = Math.Max(largestStep, sample.LargestStepInstructions);
            if (interactive && context is not null && sinceDraw.ElapsedMilliseconds >= 100)
            {
                context.UpdateTarget(Render());
                sinceDraw.Restart();
            }
            else if (!interactive && sample.Round % 100 == 0)
            {
                AnsiConsole.WriteLine(Line(sample));
            }
        }

        public void Event(EventOutcome e)
        {
            var line = $"rounds {e.StartRound:N0}–{e.EndRound:N0}  {e.Event}: {e.Outcome}";
            if (interactive)
            {
                recent.Add(line);
                if (recent.Count > 6)
                {
                    recent.RemoveAt(0);
                }
            }
            else
            {
                AnsiConsole.WriteLine(line);
            }
        }

        private string Line(RoundSample s) =>
            $"round {s.Round,6:N0}  migrated {s.Migrated:N0} ({s.Total:N0} at start)  largest step so far {largestStep:N0} of {s.SliceInstructions:N0}  " +
            $"heap r/w {s.HeapReads:N0}/{s.HeapWrites:N0}  stable r/w {s.StableReads:N0}/{s.StableWrites:N0}  [{s.Stage}]";

        private Table Render()
        {
            var table = new Table().AddColumn("round").AddColumn("stage").AddColumn("migrated / at start").AddColumn("phase").AddColumn("largest step so far / slice")
                .AddColumn("heap reads / writes").AddColumn("stable reads / writes").AddColumn("heap").AddColumn("stable");
            if (last is { } s)
            {
                var phases = string.Join(", ", s.Canisters.Select(c => c.Phase).Distinct());
                table.AddRow(
                    $"{s.Round:N0}", Markup.Escape(s.Stage), $"{s.Migrated:N0} / {s.Total:N0}", Markup.Escape(phases),
                    $"{largestStep:N0} / {s.SliceInstructions:N0}", $"{s.HeapReads:N0} / {s.HeapWrites:N0}", $"{s.StableReads:N0} / {s.StableWrites:N0}",
                    ProgressChart.Bytes(s.HeapBytes), ProgressChart.Bytes(s.StableBytes));
            }

            table.Caption(Markup.Escape(string.Join("\n", recent)));
            return table;
        }
    }
}
