namespace ActorMigrate.Scenarios.Reports;

/// <summary>One canister after one round.</summary>
/// <param name="Phase">The migration phase (v3), or "heap" for v1/v2, which have no migration.</param>
/// <param name="Pointer">The last migrated principal, or null.</param>
/// <param name="LargestStepInstructions">The largest migration step this canister ran in the round (0: none).</param>
public sealed record CanisterSample(
    string Canister,
    string Module,
    string Phase,
    long Migrated,
    long Total,
    string? Pointer,
    long LargestStepInstructions,
    long HeapBytes,
    long StableBytes);
