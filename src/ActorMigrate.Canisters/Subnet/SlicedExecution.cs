namespace ActorMigrate.Canisters;

/// <summary>A long execution in progress under deterministic time slicing; the canister runs nothing else meanwhile.</summary>
internal sealed record SlicedExecution(Work Work, ulong StartTimeNanos, long SlicesTotal)
{
    public long SlicesDone { get; set; } = 1;

    /// <summary>The message that started it, put back in the queue if a checkpoint aborts it.</summary>
    public SubnetMessage? Message { get; init; }

    /// <summary>The measured run's effects, committed in the last slice instead of running it again; null: run it again then.</summary>
    public KeptExecution? Kept { get; init; }
}
