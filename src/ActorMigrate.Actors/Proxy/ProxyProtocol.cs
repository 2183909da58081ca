using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using Akka.Actor;

namespace ActorMigrate.Actors.Proxy;

/// <summary>What a <see cref="ProxyActor"/> accepts, answers and publishes.</summary>
public interface IProxyMessage;

/// <summary>
/// Hop one: the canister actor hands its ProxyActor a step of the round — the canister's executions
/// of that step, which open and close their transactions on the engine — to run through the migration
/// proxy. <see cref="EndsRound"/>: the canister's last step of the round (its deliveries).
/// </summary>
public sealed record RunThroughProxy(ulong Round, Func<RoundOutput> Step, bool EndsRound, IActorRef ReplyTo) : IProxyMessage;

/// <summary>Hop two: the step ran; the canister actor takes the canister back and finishes the step (persistence, answer).</summary>
public sealed record RanThroughProxy(ulong Round, RoundOutput Output, bool EndsRound, IActorRef ReplyTo) : IProxyMessage;

/// <summary>Asks a ProxyActor for its latest <see cref="MigrationProgress"/>.</summary>
public sealed record GetMigrationProgress : IProxyMessage
{
    public static readonly GetMigrationProgress Instance = new();
}

/// <summary>Operations one store served for the migrating store's consumers (see <see cref="RoutingCounters"/>).</summary>
public sealed record StoreTraffic(long Reads, long Writes);

/// <summary>
/// A canister's migration as of the end of a round, published on the ActorSystem's EventStream once
/// per round in which the canister ran (never per operation), and the answer to <see cref="GetMigrationProgress"/>.
/// Traffic counts since the ProxyActor was built (at install or upgrade: the heap's lifetime).
/// </summary>
/// <param name="Pointer">The encoded key of the last migrated record, or null.</param>
/// <param name="Migrated">Records the steps moved so far in this migration.</param>
/// <param name="Total">Records the source held when the migration started.</param>
/// <param name="LargestStepInstructions">The costliest step of this migration, against <paramref name="SliceInstructions"/>, one slice of the subnet.</param>
/// <param name="Proxy">The ProxyActor that published it. Each heap gets a new one whose counts start at zero, so a
/// listener that sums traffic over upgrades adds the last counts of every ProxyActor it saw.</param>
public sealed record MigrationProgress(
    Principal Canister,
    ulong Round,
    MigrationPhase Phase,
    MigrationDirection Direction,
    byte[]? Pointer,
    ulong Migrated,
    ulong Total,
    StoreTraffic Heap,
    StoreTraffic Stable,
    ulong Steps,
    long LargestStepInstructions,
    long SliceInstructions,
    string AbortReason,
    IActorRef? Proxy = null) : IProxyMessage;
