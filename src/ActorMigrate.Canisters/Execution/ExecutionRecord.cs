namespace ActorMigrate.Canisters;

/// <summary>One line of the subnet's trace: an execution and how it ended.</summary>
public readonly record struct ExecutionRecord(
    ulong Round,
    Principal Canister,
    ExecutionKind Kind,
    string Method,
    long InstructionsUsed,
    long DirtyPages,
    CanisterError? Error)
{
    public bool Committed => Error is null;
}
