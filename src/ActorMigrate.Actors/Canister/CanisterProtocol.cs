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

/// <summary>
/// A step ran. <paramref name="SentToJournal"/>: the step ended the round and the canister sent what it
/// changed to its journal; a <see cref="CanisterRoundDurable"/> follows once it is written (or a
/// <see cref="CanisterFailed"/>, to the subnet too, if it cannot be).
/// </summary>
public sealed record CanisterStepDone(Principal Canister, RoundOutput Output, bool SentToJournal = false) : ICanisterStep;

/// <summary>The canister's journal holds every round up to <paramref name="Round"/>: its answers can go out.</summary>
public sealed record CanisterRoundDurable(Principal Canister, ulong Round) : ICanisterStep;

/// <summary>The round could not be made durable: the canister has stopped; <see cref="Reason"/> says why.</summary>
public sealed record CanisterStepFailed(Principal Canister, ulong Round, string Reason, RoundOutput Output) : ICanisterStep;

/// <summary>
/// A canister stopped because its state could not be kept durable: sent to its subnet (its rounds not yet
/// durable will never be) and published on the EventStream.
/// </summary>
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
