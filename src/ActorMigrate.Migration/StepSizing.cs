namespace ActorMigrate.Migration;

/// <summary>
/// How much one migration step does: a fixed number of records (the NNS dapp used 20, at most 1,000),
/// or as many as fit a share of one 2 B-instruction slice, so a step never blocks the canister for
/// more than one round (hocon <c>actormigrate.migration.step</c>).
/// </summary>
public sealed record StepSizing
{
    public const int MaxFixedChunk = 1_000;

    /// <summary>True: budget-driven; false: a fixed count of <see cref="ChunkSize"/> records.</summary>
    public bool BudgetDriven { get; init; }

    public int ChunkSize { get; init; } = 20;

    /// <summary>Budget-driven steps stop once they used this share of a slice, in thousandths (500 = half a slice).</summary>
    public int SliceSharePermille { get; init; } = 500;

    public static StepSizing Fixed(int chunk) => new() { ChunkSize = Math.Clamp(chunk, 1, MaxFixedChunk) };

    public static StepSizing Budget(int permille) => new() { BudgetDriven = true, SliceSharePermille = Math.Clamp(permille, 1, 1_000), ChunkSize = int.MaxValue };

    /// <summary>The instructions a budget-driven step may use for a slice of <paramref name="sliceInstructions"/>.</summary>
    public long InstructionBudget(long sliceInstructions) => BudgetDriven ? sliceInstructions * SliceSharePermille / 1_000 : long.MaxValue;
}
