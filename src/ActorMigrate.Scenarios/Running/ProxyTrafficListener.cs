using ActorMigrate.Actors.Proxy;
using ActorMigrate.Canisters;
using Akka.Actor;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// Listens to the <see cref="MigrationProgress"/> every ProxyActor publishes at the end of its canister's
/// round and sums, per canister, the traffic each store served: a ProxyActor counts from zero (it lives as
/// long as one heap), so the last counts of every ProxyActor seen are added to the current one's.
/// </summary>
/// <remarks>
/// A ProxyActor publishes before it answers its canister, so once a round is over its event is already in
/// this actor's mailbox: an <see cref="Ask"/> sent after the round is answered after the event is counted.
/// </remarks>
internal sealed class ProxyTrafficListener : ReceiveActor
{
    private readonly Dictionary<Principal, (IActorRef? Proxy, TrafficServed Current, TrafficServed Earlier)> byCanister = [];

    public ProxyTrafficListener()
    {
        Receive<MigrationProgress>(Count);
        Receive<Ask>(ask => Sender.Tell(
            byCanister.TryGetValue(ask.Canister, out var seen) ? seen.Earlier.Plus(seen.Current) : TrafficServed.None));
    }

    /// <summary>Asks for what the stores served <paramref name="Canister"/>'s consumers so far; the answer is a <see cref="TrafficServed"/>.</summary>
    public sealed record Ask(Principal Canister);

    private void Count(MigrationProgress progress)
    {
        var counts = new TrafficServed(progress.Heap.Reads, progress.Heap.Writes, progress.Stable.Reads, progress.Stable.Writes);
        var seen = byCanister.GetValueOrDefault(progress.Canister, (null, TrafficServed.None, TrafficServed.None));
        byCanister[progress.Canister] = Equals(seen.Proxy, progress.Proxy)
            ? seen with { Current = counts }
            : (progress.Proxy, counts, seen.Earlier.Plus(seen.Current)); // a new heap, a new ProxyActor: its counts start at zero
    }
}
