namespace ActorMigrate.Canisters;

/// <summary>What one execution did, before the subnet commits or discards it.</summary>
internal readonly record struct ExecutionResult(
    Outcome Outcome,
    CanisterError? Error,
    long InstructionsUsed,
    long NewlyDirtiedPages,
    long HeapDeltaBytes);
