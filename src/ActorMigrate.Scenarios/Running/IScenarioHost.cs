using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// Where a scenario runs: a harness (bare engine or actors) plus the two things a run needs beyond
/// <see cref="ICanisterHarness"/>: many ingress calls delivered in one round, and reading the engine between rounds.
/// </summary>
public interface IScenarioHost : IDisposable
{
    ICanisterHarness Harness { get; }

    /// <summary>
    /// Submits <paramref name="calls"/> as ingress, in order, so that one round delivers them all, then
    /// runs rounds until each is answered. With no calls it runs one round (heartbeats and timers).
    /// </summary>
    IReadOnlyList<CallResult> RunRound(IReadOnlyList<IngressCall> calls);

    /// <summary>
    /// What each store served <paramref name="canister"/>'s consumers through its migration proxy since this
    /// host started, as of the end of the last round: the proxy's own counters. Queries run between rounds
    /// are counted with the next round (that is when the actors' ProxyActor publishes them). Nothing while
    /// the canister runs a module without a migrating store.
    /// </summary>
    TrafficServed Served(Principal canister);

    /// <summary>Reads the engine between rounds; <paramref name="read"/> must only read.</summary>
    T Read<T>(Func<Subnet, T> read);
}
