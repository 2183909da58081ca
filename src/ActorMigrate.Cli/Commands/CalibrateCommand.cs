using System.ComponentModel;
using ActorMigrate.Canisters.Calibration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate calibrate NAME…</c>: runs the named canbench workloads (the grammar of
/// ../shared/calibration/README.md, and the heap rows) through the engine with metering on and prints
/// <c>NAME INSTRUCTIONS</c> per line.
/// </summary>
public sealed class CalibrateCommand : Command<CalibrateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("Benchmark names, e.g. btreemap_v2_insert_u64_u64 read_chunks_stable_1m heap_btreemap_insert_1m_u64_user")]
        public string[] Names { get; init; } = [];

        public override ValidationResult Validate()
        {
            foreach (var name in Names)
            {
                try
                {
                    CalibrationWorkloads.Parse(name);
                }
                catch (ArgumentException e)
                {
                    return ValidationResult.Error(e.Message);
                }
            }

            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        foreach (var name in settings.Names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Console.Out.WriteLine($"{name} {CalibrationWorkloads.Measure(name)}");
        }

        return 0;
    }
}
