using ActorMigrate.Examples.Accounts.Fuzzing;
using ActorMigrate.Testing.Fuzzing;
using BenchmarkDotNet.Attributes;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// Fuzzed interleavings per second (issue #8): each sequence has at least 50 operations and 2 lifecycle
/// events, every invariant is checked after every operation and the final drain runs; shrinking is
/// excluded (the sequences are drawn once, in setup). One invocation runs <see cref="Batch"/> sequences:
/// on the engine on one thread (the baseline), on the engine over every core, and on the actors with the
/// in-memory journal (no crashes: see docs/fuzzing.md). Interleavings/s = Batch / mean time.
/// <see cref="Shape"/> draws the sequences as <c>actormigrate fuzz</c> does ("fuzz-default": 50 to 80
/// operations) or at the definition of an interleaving ("issue-minimum": exactly 50 operations,
/// of which at least 2 lifecycle events, 30 of them the prefill puts).
/// </summary>
/// <remarks>
/// The setup first runs the engine batch <see cref="JitWarmupBatches"/> times. The runtime's tiered JIT
/// brings this workload of many rarely hit paths to its steady speed only after about 2,400
/// interleavings (several seconds; measured per 400: 2.5× slower in the first 400, and with
/// the 100 ms call-counting delay set to 0 it gets there after about 1,000): far beyond a short job's few
/// warm-up iterations, whose figures therefore mix unoptimized code in. A fuzz campaign runs for minutes,
/// at the speed measured after this warm-up.
/// </remarks>
public class FuzzBenchmarks
{
    // 64 sequences a batch: with 16, the cores' shares of a parallel batch were uneven enough that one
    // core waited for the other at the end of each invocation (1.48x the one-thread rate on 2 cores).
    private const int Batch = 64;
    private const int ActorBatch = 2;
    private const int JitWarmupBatches = 40;

    private static readonly AccountsFuzzTarget Target = AccountsFuzzTarget.Instance;
    private FuzzOperation[][] sequences = null!;

    [Params("fuzz-default", "issue-minimum")]
    public string Shape { get; set; } = "fuzz-default";

    [GlobalSetup]
    public void Setup()
    {
        var options = Shape == "issue-minimum" ? new FuzzSequenceOptions(MinOperations: 50, MaxOperations: 50) : null;
        sequences = [.. Enumerable.Range(1, Batch).Select(i => FuzzGenerators.Sample(Target, (ulong)i, options))];
        for (var k = 0; k < JitWarmupBatches; k++)
        {
            EngineOneThread();
        }
    }

    private int Run(int i, Func<FuzzHost> host) =>
        FuzzRunner.Run(Target, AccountsFuzzTarget.DualWrite, host, sequences[i]).OperationsApplied;

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int EngineOneThread()
    {
        var ops = 0;
        for (var i = 0; i < Batch; i++)
        {
            ops += Run(i, () => new EngineFuzzHost(Target.Subnet));
        }

        return ops;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EngineParallel()
    {
        var ops = 0;
        Parallel.For(0, Batch, i => Interlocked.Add(ref ops, Run(i, () => new EngineFuzzHost(Target.Subnet))));
        return ops;
    }

    [Benchmark(OperationsPerInvoke = ActorBatch)]
    public int ActorsInMemoryJournal()
    {
        var ops = 0;
        for (var i = 0; i < ActorBatch; i++)
        {
            ops += Run(i, () => new ActorFuzzHost(Target.Subnet, Target.Versions.Select(v => Target.Module(AccountsFuzzTarget.DualWrite, v))));
        }

        return ops;
    }
}
