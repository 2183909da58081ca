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
/// Make what a management operation just changed durable now, as a write after round <paramref name="AfterRound"/>
/// (the subnet's last): its caller is answered once it is. Answered like a step, with <see cref="RoundOutput.Nothing"/>.
/// </summary>
public sealed record PersistBetweenRounds(ulong AfterRound) : ICanisterStep;

/// <summary>
/// A step ran. <paramref name="JournalWrite"/>: the step ended the round (or was a <see cref="PersistBetweenRounds"/>)
/// and the canister sent what it changed to its journal as its write number <paramref name="JournalWrite"/>; a
/// <see cref="CanisterWriteDurable"/> follows once it is written (or a <see cref="CanisterFailed"/>, to the
/// subnet too, if it cannot be).
/// </summary>
public sealed record CanisterStepDone(Principal Canister, RoundOutput Output, long? JournalWrite = null) : ICanisterStep;

/// <summary>
/// The canister's journal holds its writes up to number <paramref name="Write"/> (counted from 1 since the
/// actor started; one journal writes in order): the answers that waited for them can go out.
/// </summary>
public sealed record CanisterWriteDurable(Principal Canister, long Write) : ICanisterStep;

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
