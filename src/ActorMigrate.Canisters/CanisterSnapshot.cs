namespace ActorMigrate.Canisters;

/// <summary>A canister snapshot: module, heap and stable memory (and the heap-resident timers) taken together.</summary>
public sealed record CanisterSnapshot(
    ulong Id,
    CanisterModule? Module,
    Heap Heap,
    StableMemory.IMemory StableMemory,
    SortedDictionary<ulong, CanisterTimer> Timers,
    ulong NextTimerId,
    ulong GlobalTimerNanos,
    ulong TakenAtNanos);
