namespace ActorMigrate.Canisters;

/// <summary>A long execution in progress under deterministic time slicing; the canister runs nothing else meanwhile.</summary>
internal sealed record SlicedExecution(Work Work, ulong StartTimeNanos, long SlicesTotal)
{
    public long SlicesDone { get; set; } = 1;

    /// <summary>The message that started it, put back in the queue if a checkpoint aborts it.</summary>
    public SubnetMessage? Message { get; init; }
}
