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

/// <summary>A recovering canister's durable state, sent to its subnet, which restores the engine's canister from it.</summary>
public sealed record CanisterRecovered(Principal Canister, Durability.DurableState State) : ICanisterStep;

/// <summary>A canister's durable state could not be read; the canister stays stopped.</summary>
public sealed record CanisterRecoveryFailed(Principal Canister, string Reason) : ICanisterStep;

/// <summary>
/// The engine's canister exists (restored): start recording its stable deltas. It travels in the
/// message because the canister actor must not look it up while the subnet actor is still restoring others.
/// </summary>
public sealed record AttachCanister(Canisters.Canister Canister) : ICanisterStep;
