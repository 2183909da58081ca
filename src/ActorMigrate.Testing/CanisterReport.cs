using ActorMigrate.Canisters;

namespace ActorMigrate.Testing;

/// <summary>A canister's state and costs as the harness reports them.</summary>
public sealed record CanisterReport(
    string? Module,
    int? ModuleVersion,
    ulong Version,
    CanisterStatus Status,
    long HeapBytes,
    ulong StableMemoryBytes,
    long LastInstructionsUsed,
    long Executions,
    long Traps,
    long RoundsBlocked,
    long RoundsHeldBack,
    int Timers,
    IReadOnlyList<string> Log);
