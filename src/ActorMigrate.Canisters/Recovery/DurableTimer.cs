namespace ActorMigrate.Canisters;

/// <summary>A timer as a durable record holds it: its schedule and the reference of its callback.</summary>
public sealed record DurableTimer(ulong Id, ulong DueNanos, ulong IntervalNanos, CallbackRef Callback);
