using System.ComponentModel;
using ActorMigrate.Canisters;
using ActorMigrate.Migration.Planning;
using Newtonsoft.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate plan --records N --mean-bytes B</c>: whether an atomic migration fits one upgrade, and
/// the chunk sizes, rounds, wall-clock time, stable memory and per-access costs of an incremental one.
/// Every figure comes from the engine's own metering of a sample (<see cref="MigrationPlanner"/>).
/// </summary>
public sealed class PlanCommand : Command<PlanCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--records <N>")]
        [Description("Number of records to migrate")]
        public long Records { get; init; }

        [CommandOption("--mean-bytes <BYTES>")]
        [Description("Mean record size, key and value (default 200)")]
        public int MeanBytes { get; init; } = 200;

        [CommandOption("--max-bytes <BYTES>")]
        [Description("Largest record size (default: the mean); sizes the worst step")]
        public int? MaxBytes { get; init; }

        [CommandOption("--chunk <N>")]
        [Description("Records per fixed step (NNS dapp: 20; at most 1,000)")]
        public int Chunk { get; init; } = 20;

        [CommandOption("--slice-share <PERMILLE>")]
        [Description("Share of a 2 B slice a budget-driven step may use, in thousandths (default 500)")]
        public int SliceSharePermille { get; init; } = 500;

        [CommandOption("--system-subnet")]
        [Description("Plan for a system subnet (dirtying stable pages is free)")]
        public bool SystemSubnet { get; init; }

        [CommandOption("--json")]
        [Description("Print the plan as JSON")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Records <= 0 ? ValidationResult.Error("--records must be positive") :
            MeanBytes < 16 ? ValidationResult.Error("--mean-bytes must be at least 16 (an 8-byte key and some value)") :
            MaxBytes < MeanBytes ? ValidationResult.Error("--max-bytes must be at least --mean-bytes") :
            Chunk is < 1 or > 1_000 ? ValidationResult.Error("--chunk must be between 1 and 1,000") :
            SliceSharePermille is < 1 or > 1_000 ? ValidationResult.Error("--slice-share must be between 1 and 1,000") :
            ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var subnet = settings.SystemSubnet ? SubnetSettings.System : SubnetSettings.Default;
        var maxBytes = settings.MaxBytes ?? settings.MeanBytes;
        var plan = MigrationPlanner.Plan(subnet, settings.Records, settings.MeanBytes, maxBytes, settings.Chunk, settings.SliceSharePermille);
        var worst = maxBytes == settings.MeanBytes ? plan : MigrationPlanner.Plan(subnet, settings.Records, maxBytes, maxBytes, settings.Chunk, settings.SliceSharePermille);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonConvert.SerializeObject(new { plan, worstCase = worst }, Formatting.Indented));
            return 0;
        }

        var table = new Table().AddColumn("question").AddColumn("answer");
        void Row(string q, string a) => table.AddRow(Markup.Escape(q), Markup.Escape(a));
        string Fits(bool ok) => ok ? "yes" : "NO";
        Row("records × mean (max) bytes", $"{plan.Records:N0} × {plan.MeanRecordBytes} ({plan.MaxRecordBytes})");
        Row("atomic migration fits one upgrade", Fits(plan.AtomicFits));
        Row("  instructions (limit)", $"{plan.AtomicInstructions:N0} ({plan.UpgradeInstructionLimit:N0})");
        Row("  dirty stable bytes (limit)", $"{plan.AtomicDirtyBytes:N0} ({plan.DirtyBytesLimit:N0})");
        Row("  heap high-water, both copies (4 GiB; wasm_memory_limit)", $"{plan.HeapHighWaterBytes:N0} ({plan.HeapLimitBytes:N0}; {plan.WasmMemoryLimitBytes:N0})");
        Row($"fixed steps of {plan.FixedChunk}", $"{plan.FixedSteps:N0} steps, {plan.FixedStepInstructions:N0} instructions each (largest records: {worst.FixedStepInstructions:N0})");
        Row("  rounds and wall-clock (≈1 round/s)", $"{plan.FixedSteps:N0} rounds, {plan.FixedWallClock}");
        Row("  rounds blocked per step", $"{worst.RoundsBlockedPerFixedStep:N0}");
        Row($"budget-driven steps ({settings.SliceSharePermille}‰ of a {plan.SliceInstructions:N0} slice)", $"{worst.BudgetChunk:N0} records per step, {worst.BudgetStepInstructions:N0} instructions");
        Row("  steps, rounds and wall-clock", $"{Ceiling(plan.Records, worst.BudgetChunk) + 1:N0} steps, {TimeSpan.FromSeconds(Ceiling(plan.Records, worst.BudgetChunk) + 1)}");
        Row("  rounds blocked per step", $"{worst.RoundsBlockedPerBudgetStep:N0}");
        Row("stable memory needed (MemoryManager cap)", $"{plan.StableBytesNeeded:N0} ({plan.MemoryManagerCapBytes:N0}): {Fits(plan.FitsMemoryManager)}");
        Row("downgrade after completion fits one upgrade", $"{Fits(plan.DowngradeFitsOneUpgrade)} ({plan.DowngradeInstructions:N0} instructions)");
        Row("instructions per read / write, heap (before)", $"{plan.HeapReadInstructions:N0} / {plan.HeapWriteInstructions:N0}");
        Row("instructions per read / write, stable (after)", $"{plan.StableReadInstructions:N0} / {plan.StableWriteInstructions:N0}");
        AnsiConsole.Write(table);
        return 0;
    }

    private static long Ceiling(long a, long b) => (a + b - 1) / b;
}
