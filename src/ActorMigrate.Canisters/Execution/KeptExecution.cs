namespace ActorMigrate.Canisters;

/// <summary>
/// The effects of an install or upgrade that deterministic time slicing measured to need more than one
/// slice, held aside until its last slice instead of being discarded and run again: its stable-memory
/// overlay, the new module's heap, the timers, the calls and the result. Only executions that end on a
/// fresh heap are kept, because every other heap change happens in place in the committed heap (its undo
/// log can discard it but not replay it); the committed state stays as before until the last slice, so
/// queries, snapshots and a host's journaling in between read exactly what they read before.
/// </summary>
internal sealed class KeptExecution
{
    public required StableOverlay Stable { get; init; }

    public required Heap UpgradedHeap { get; init; }

    public required StableMemory.IMemory? ReplacementStableMemory { get; init; }

    public required SortedDictionary<ulong, CanisterTimer>? Timers { get; init; }

    public required ulong NextTimerId { get; init; }

    public required ulong GlobalTimerNanos { get; init; }

    public required bool GlobalTimerChanged { get; init; }

    public required bool TimersCleared { get; init; }

    public required OutgoingCall[] Calls { get; init; }

    public required ExecutionResult Result { get; init; }
}
