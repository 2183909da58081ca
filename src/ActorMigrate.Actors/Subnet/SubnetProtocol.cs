using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Subnet;

/// <summary>
/// What a <see cref="SubnetActor"/> accepts. Ingress, install_code, queries and <see cref="RunRounds"/>
/// are answered once the rounds they depend on are durable (or at once, when the subnet releases
/// replies early); the other commands are answered right away, between rounds.
/// </summary>
public interface ISubnetCommand;

/// <summary>Creates a canister; answered with <see cref="CanisterCreated"/>.</summary>
public sealed record CreateCanister(Principal Controller) : ISubnetCommand;

public sealed record CanisterCreated(Principal Canister) : ISubnetCommand;

/// <summary>install_code (install, reinstall or upgrade); answered with a <see cref="CallResult"/>.</summary>
public sealed record InstallCode(Principal Canister, InstallMode Mode, CanisterModule Module, object? Arg, Principal Sender, bool SkipPreUpgrade = false)
    : ISubnetCommand;

/// <summary>An update call as ingress; answered with a <see cref="CallResult"/>.</summary>
public sealed record UpdateCall(Principal Canister, string Method, object? Arg, Principal Caller) : ISubnetCommand;

/// <summary>
/// A query, run between rounds on the committed state; answered with a <see cref="CallResult"/> once the
/// rounds it read are durable.
/// </summary>
public sealed record QueryCall(Principal Canister, string Method, object? Arg, Principal Caller) : ISubnetCommand;

/// <summary>
/// Runs rounds now (also when nothing is queued: heartbeats and timers); answered with <see cref="RoundsRun"/>
/// once the last is durable, or, without <paramref name="AwaitJournal"/>, as soon as it ran: a driver that
/// paces traffic by rounds sends the next round's ingress while the journal writes this one.
/// </summary>
public sealed record RunRounds(int Rounds, bool AwaitJournal = true) : ISubnetCommand
{
    /// <summary>
    /// Update calls submitted first, in order, so the first round delivers them (it runs behind them in
    /// one message, whatever the thread timing); each is answered to its ReplyTo like an <see cref="UpdateCall"/>.
    /// </summary>
    public IReadOnlyList<(UpdateCall Call, Akka.Actor.IActorRef ReplyTo)> Ingress { get; init; } = [];

    /// <summary>
    /// Traffic paced by rounds: <see cref="Ingress"/>[i] is submitted just before the i-th of these rounds
    /// starts, so each round delivers one call, without a driver's round trip per round. Needs at least as
    /// many rounds as calls (the subnet refuses the request otherwise).
    /// </summary>
    public bool OneCallPerRound { get; init; }
}

public sealed record RoundsRun(ulong Round, ulong TimeNanos) : ISubnetCommand;

/// <summary>Moves the virtual clock (the only clock canisters see); answered with <see cref="RoundsRun"/>.</summary>
public sealed record AdvanceTime(TimeSpan By) : ISubnetCommand;

/// <summary>A management operation between rounds: stop, start, uninstall, snapshots. Answered with <see cref="Managed"/>.</summary>
public sealed record Manage(Principal Canister, ManagementOperation Operation, Principal Sender, ulong SnapshotId = 0) : ISubnetCommand;

public enum ManagementOperation
{
    Stop,
    Start,
    Uninstall,
    TakeSnapshot,
    LoadSnapshot,
}

/// <summary>The outcome of a <see cref="Manage"/>: its reject, or null; the new snapshot's id for TakeSnapshot.</summary>
public sealed record Managed(CanisterError? Error, ulong SnapshotId) : ISubnetCommand;

/// <summary>
/// Reads the engine's state between rounds (reports, images, the trace) for tests and tools; the
/// function must only read. Answered with <see cref="Inspected"/>.
/// </summary>
public sealed record Inspect(Func<Canisters.Subnet, object?> Read) : ISubnetCommand;

public sealed record Inspected(object? Value) : ISubnetCommand;

/// <summary>Published on the EventStream once a durable subnet has recovered its canisters and takes commands.</summary>
public sealed record SubnetRecovered(Akka.Actor.IActorRef Subnet, int Canisters, ulong Round) : ISubnetCommand;
