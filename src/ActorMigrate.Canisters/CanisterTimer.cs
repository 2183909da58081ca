namespace ActorMigrate.Canisters;

/// <summary>An ic-cdk-timers style timer: one-shot or interval; each firing is its own execution.</summary>
public sealed record CanisterTimer(ulong Id, ulong DueNanos, ulong IntervalNanos, Func<Ic0, Outcome> Callback)
{
    public bool IsInterval => IntervalNanos > 0;
}
