using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Scenarios.Running;

/// <summary>The bare engine (scenario journal <c>none</c>): no actors, nothing kept; the fastest host.</summary>
public sealed class EngineScenarioHost(SubnetSettings settings) : IScenarioHost
{
    private readonly EngineHarness harness = new(settings);

    public ICanisterHarness Harness => harness;

    public IReadOnlyList<CallResult> RunRound(IReadOnlyList<IngressCall> calls)
    {
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

        return [.. results.Select(r => r!.Value)];
    }

    public T Read<T>(Func<Subnet, T> read) => read(harness.Subnet);

    public void Dispose()
    {
    }
}
