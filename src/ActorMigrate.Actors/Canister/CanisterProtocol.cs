using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Canister;

/// <summary>
/// What a <see cref="CanisterActor"/> accepts from its subnet and answers: its two steps of a round.
/// Each step runs the canister's executions of that step synchronously, one after the other, each
/// committed or rolled back before the next; the actor takes no other message meanwhile.
/// </summary>
public interface ICanisterStep;

/// <summary>Advance a sliced execution, or run the heartbeat, the global timer, due timers and hooks.</summary>
public sealed record RunSystemTasks(RoundPlan Plan) : ICanisterStep;

/// <summary>Deliver this round's messages in queue order, then make the round durable.</summary>
public sealed record RunDeliveries(RoundPlan Plan) : ICanisterStep;

/// <summary>A step ran (and, for deliveries, is durable unless replies are released early).</summary>
public sealed record CanisterStepDone(Principal Canister, RoundOutput Output) : ICanisterStep;

/// <summary>The round could not be made durable: the canister has stopped; <see cref="Reason"/> says why.</summary>
public sealed record CanisterStepFailed(Principal Canister, ulong Round, string Reason, RoundOutput Output) : ICanisterStep;

/// <summary>Published on the EventStream when a canister stops because its state could not be kept durable.</summary>
public sealed record CanisterFailed(Principal Canister, string Reason) : ICanisterStep;
