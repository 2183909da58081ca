namespace ActorMigrate.Canisters;

/// <summary>An ic-cdk-timers style timer: one-shot or interval; each firing is its own execution.</summary>
public sealed record CanisterTimer(ulong Id, ulong DueNanos, ulong IntervalNanos, Func<Ic0, Outcome> Callback)
{
    /// <summary>The callback's reference for a durable host (<see cref="Canister.RequireRecoverableCallbacks"/>), else null.</summary>
    public CallbackRef? Recoverable { get; init; }

    public bool IsInterval => IntervalNanos > 0;
}
