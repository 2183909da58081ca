using ActorMigrate.Cli.Commands;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli;

/// <summary>
/// The <c>actormigrate</c> command line: its commands in one place, so Program.cs and the tests run the same app.
/// </summary>
public static class ActorMigrateApp
{
    /// <summary>Exit code of a command line Spectre cannot parse or whose settings fail validation (as inspect documents).</summary>
    public const int UsageErrorExitCode = 1;

    /// <summary>The configured app; add a command with one more <c>AddCommand</c> line.</summary>
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("actormigrate");
            config.PropagateExceptions();
            config.AddCommand<ConformanceCommand>("conformance")
                .WithDescription("Check the port against the Rust library's conformance images and goldens in DIR (and its subfolders)")
                .WithExample("conformance", "../shared/conformance");
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Build a small MemoryManager image, read it back and print its layout")
                .WithExample("demo", "--out", "demo.img");
            config.AddCommand<CalibrateCommand>("calibrate").WithDescription("Run canbench workloads through the engine with metering on; print NAME INSTRUCTIONS per line");
            config.AddCommand<PlanCommand>("plan").WithDescription("Say whether a heap-to-stable migration of --records records fits one upgrade, and how long an incremental one takes");
            config.AddCommand<RunCommand>("run").WithDescription("Run a migration scenario (default: the flagship, on SQLite) with live progress; check every record against a model; write report.json and chart.svg");
            config.AddCommand<FuzzCommand>("fuzz").WithDescription("Fuzz the accounts example's migration with interleavings of upgrades, downgrades, faults and traffic; --replay FILE, --mutants");
            config.AddCommand<InspectCommand>("inspect").WithDescription("Say what a raw stable memory image holds, or dump one structure (--dump ID), without changing it");
        });
        return app;
    }

    /// <summary>
    /// Runs <paramref name="args"/>. Exceptions propagate so a bug in a command shows its stack trace, but a
    /// command line that does not parse or validate (an unknown command, an unknown workload name) is the
    /// user's mistake: one <c>error:</c> line on stderr and <see cref="UsageErrorExitCode"/>, never a crash.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await Create().RunAsync(args);
        }
        catch (CommandAppException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return UsageErrorExitCode;
        }
    }
}
