using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.Testing;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// The bare engine (scenario journal <c>none</c>): no actors, nothing kept; the fastest host. It attaches
/// a <see cref="RoutingCounters"/> to every canister (<see cref="Canister.HostContext"/>, as the actors'
/// ProxyHost does) and reads them at the end of each round, where the actors' ProxyActor publishes its own.
/// </summary>
public sealed class EngineScenarioHost(SubnetSettings settings) : IScenarioHost
{
    private readonly EngineHarness harness = new(settings);
    private readonly Dictionary<Principal, List<RoutingCounters>> counters = [];
    private readonly Dictionary<Principal, TrafficServed> atRoundEnd = [];
    private ulong countedRound;

    public ICanisterHarness Harness => harness;

    public IReadOnlyList<CallResult> RunRound(IReadOnlyList<IngressCall> calls)
    {
        Attach();
        var ids = calls.Select(c => harness.Subnet.SubmitIngress(c.Canister, c.Method, c.Arg, harness.Controller)).ToList();
        var results = new CallResult?[ids.Count];
        var open = ids.Count;
        for (var rounds = 0; rounds == 0 || open > 0; rounds++)
        {
            if (rounds >= harness.MaxRoundsPerCall)
            {
                throw new TimeoutException($"{open} of {ids.Count} calls got no answer within {harness.MaxRoundsPerCall} rounds");
            }

            harness.Subnet.Tick();
            for (var i = 0; i < ids.Count; i++)
            {
                if (results[i] is null && harness.Subnet.TryTakeResult(ids[i], out var result))
                {
                    results[i] = result;
                    open--;
                }
            }
        }

        CountRoundEnd();
        return [.. results.Select(r => r!.Value)];
    }

    public TrafficServed Served(Principal canister)
    {
        if (harness.Subnet.Round != countedRound)
        {
            // Rounds ran outside RunRound (an upgrade, a snapshot): the runner queried nothing since, so the
            // counters stand as those rounds left them.
            CountRoundEnd();
        }

        return atRoundEnd.GetValueOrDefault(canister, TrafficServed.None);
    }

    public T Read<T>(Func<Subnet, T> read) => read(harness.Subnet);

    public void Dispose()
    {
    }

    /// <summary>Gives every canister without one a counter (a canister the engine replaced keeps the old one's counts in the list).</summary>
    private void Attach()
    {
        foreach (var canister in harness.Subnet.Canisters.Where(c => c.HostContext is null))
        {
            var attached = new RoutingCounters();
            canister.HostContext = attached;
            if (!counters.TryGetValue(canister.Id, out var list))
            {
                counters[canister.Id] = list = [];
            }

            list.Add(attached);
        }
    }

    private void CountRoundEnd()
    {
        Attach();
        foreach (var (id, list) in counters)
        {
            atRoundEnd[id] = list.Aggregate(TrafficServed.None, (sum, c) => sum.Plus(new TrafficServed(c.HeapReads, c.HeapWrites, c.StableReads, c.StableWrites)));
        }

        countedRound = harness.Subnet.Round;
    }
}
