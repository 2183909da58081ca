namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// Operations each store served for a canister's consumers: the migration proxy's routing counters
/// (<see cref="Migration.RoutingCounters"/>), summed over every proxy the canister had. A read counts once
/// for every store it consulted, a write once for every store it changed (a dual write: both).
/// </summary>
public sealed record TrafficServed(long HeapReads, long HeapWrites, long StableReads, long StableWrites)
{
    public static TrafficServed None { get; } = new(0, 0, 0, 0);

    public TrafficServed Plus(TrafficServed other) =>
        new(HeapReads + other.HeapReads, HeapWrites + other.HeapWrites, StableReads + other.StableReads, StableWrites + other.StableWrites);

    public TrafficServed Minus(TrafficServed other) =>
        new(HeapReads - other.HeapReads, HeapWrites - other.HeapWrites, StableReads - other.StableReads, StableWrites - other.StableWrites);
}
