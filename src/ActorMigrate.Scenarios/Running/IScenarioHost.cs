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

    /// <summary>Reads the engine between rounds; <paramref name="read"/> must only read.</summary>
    T Read<T>(Func<Subnet, T> read);
}
