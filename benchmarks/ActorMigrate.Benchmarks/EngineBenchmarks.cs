using ActorMigrate.Canisters;
using BenchmarkDotNet.Attributes;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// Trivial update executions through the engine (ingress queued, delivered in a round, metered,
/// committed, answered) against calling the same endpoint method directly, in the same run.
/// Each invocation runs <see cref="Batch"/> executions.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int Batch = 1_000;

    private readonly Principal user = new("user");
    private Subnet subnet = null!;
    private Principal canister;
    private Func<Ic0, object?, Outcome> endpoint = null!;
    private readonly ulong[] messages = new ulong[Batch];

    [GlobalSetup]
    public void Setup()
    {
        subnet = new Subnet();
        canister = subnet.CreateCanister(user).Id;
        subnet.SubmitInstallCode(canister, user, InstallMode.Install, new TrivialModule());
        subnet.Tick();
        subnet[canister].Module!.Endpoints.TryGet("add_one", out var e);
        endpoint = e.Invoke;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public ulong DirectEndpointCall()
    {
        ulong sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += (ulong)endpoint(null!, (ulong)i).ReplyValue!;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public ulong UpdateThroughEngine()
    {
        for (var i = 0; i < Batch; i++)
        {
            messages[i] = subnet.SubmitIngress(canister, "add_one", (ulong)i, user);
        }

        subnet.Tick();
        ulong sum = 0;
        foreach (var id in messages)
        {
            subnet.TryTakeResult(id, out var result);
            sum += (ulong)result.Reply!;
        }

        return sum;
    }

    /// <summary>A canister whose one update adds one to its argument.</summary>
    public sealed class TrivialModule : CanisterModule
    {
        public override string Name => "trivial";

        public override int Version => 1;

        protected override void DeclareEndpoints(EndpointTable endpoints) =>
            endpoints.Update<ulong, ulong>("add_one", (_, n) => n + 1);
    }
}
