namespace ActorMigrate.Scenarios.Reports;

/// <summary>
/// What the runner saw after one round: progress, the largest step against the slice limit, traffic
/// served by each store so far, and memory. Totals over the scenario's canisters; <see cref="Canisters"/> has each.
/// </summary>
/// <param name="Stage">"load" while the initial accounts are put, else the script event running.</param>
/// <param name="Total">Records in the sources when their migrations started; records added later are migrated too, so <paramref name="Migrated"/> can pass it.</param>
/// <param name="LargestStepInstructions">The largest step run in this round (0 in a round without one).</param>
public sealed record RoundSample(
    ulong Round,
    double SimulatedSeconds,
    string Stage,
    long Migrated,
    long Total,
    long LargestStepInstructions,
    long SliceInstructions,
    long HeapReads,
    long HeapWrites,
    long StableReads,
    long StableWrites,
    long HeapBytes,
    long StableBytes,
    IReadOnlyList<CanisterSample> Canisters);
