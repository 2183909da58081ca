using ActorMigrate.Migration;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// How many step executions a migration may take once traffic stops.
/// </summary>
/// <remarks>
/// With R records in the canister when traffic stops:
/// <list type="bullet">
/// <item>fixed chunks of c records: <c>ceil(R / c) + 2</c> — the +2 are the step that finds the end
/// and checks completion, and one step in flight when traffic stopped;</item>
/// <item>budget-driven steps with budget B = slice × share / 1000 and at most m instructions per record
/// (<see cref="FuzzTarget.MaxInstructionsPerRecord"/>): a step stops only once its instructions plus the
/// costliest record so far pass B, so every step but the last moves at least c_eff = max(1, floor(B / m) − 2)
/// records, and the bound is <c>ceil(R / c_eff) + 2</c>.</item>
/// </list>
/// A step never uses more than <c>B + m</c> instructions (it checks after each record).
/// </remarks>
public static class CompletionBound
{
    public static long EffectiveChunk(StepSizing sizing, long sliceInstructions, long maxInstructionsPerRecord) =>
        sizing.BudgetDriven
            ? Math.Max(1, sizing.InstructionBudget(sliceInstructions) / Math.Max(1, maxInstructionsPerRecord) - 2)
            : sizing.ChunkSize;

    public static long Steps(long records, StepSizing sizing, long sliceInstructions, long maxInstructionsPerRecord)
    {
        var chunk = EffectiveChunk(sizing, sliceInstructions, maxInstructionsPerRecord);
        return (records + chunk - 1) / chunk + 2;
    }

    /// <summary>The most instructions one step of <paramref name="sizing"/> may use; null for fixed chunks (bound by the execution limit alone).</summary>
    public static long? StepInstructions(StepSizing sizing, long sliceInstructions, long maxInstructionsPerRecord) =>
        sizing.BudgetDriven ? sizing.InstructionBudget(sliceInstructions) + maxInstructionsPerRecord : null;
}
