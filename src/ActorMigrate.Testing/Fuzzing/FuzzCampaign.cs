using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>What a campaign of generated sequences found.</summary>
/// <param name="RunsToFirstFailure">1-based number of the first failing run (in seed order), 0 when none failed.</param>
/// <param name="EventCounts">How many sequences hit each kind of event.</param>
public sealed record FuzzCampaignResult(
    int Runs,
    int Failures,
    int RunsToFirstFailure,
    ulong? FailingSeed,
    FuzzResult? Failure,
    IReadOnlyList<FuzzOperation>? FailingSequence,
    IReadOnlyDictionary<FuzzEvents, int> EventCounts,
    TimeSpan Elapsed)
{
    public double RunsPerSecond => Runs / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Runs generated sequences (seed, seed + 1, …) against a target and strategy, on one core or two, and
/// shrinks a failing sequence to a short one that still fails.
/// </summary>
public static class FuzzCampaign
{
    /// <param name="stopAtFailure">Stop at the first failure (the CLI); false runs the whole budget (the mutation table).</param>
    /// <param name="progress">Called after each run with the number of runs done.</param>
    public static FuzzCampaignResult Run(FuzzTarget target, string strategy, Func<FuzzHost> hostFactory, ulong seed, int budget,
        bool parallel = false, FuzzSequenceOptions? options = null, bool stopAtFailure = true, Action<int>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var counts = new ConcurrentDictionary<FuzzEvents, int>();
        var failures = new ConcurrentDictionary<int, (FuzzResult Result, FuzzOperation[] Operations)>();
        var done = 0;
        var stop = int.MaxValue;
        void RunOne(int i)
        {
            if (i > Volatile.Read(ref stop))
            {
                return;
            }

            var operations = FuzzGenerators.Sample(target, seed + (ulong)i, options);
            var result = FuzzRunner.Run(target, strategy, hostFactory, operations);
            foreach (var kind in Enum.GetValues<FuzzEvents>().Where(k => k != FuzzEvents.None && result.Events.HasFlag(k)))
            {
                counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
            }

            if (!result.Passed)
            {
                failures[i] = (result, operations);
                if (stopAtFailure)
                {
                    InterlockedMin(ref stop, i);
                }
            }

            progress?.Invoke(Interlocked.Increment(ref done));
        }

        if (parallel)
        {
            Parallel.For(0, budget, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, RunOne);
        }
        else
        {
            for (var i = 0; i < budget && i <= stop; i++)
            {
                RunOne(i);
            }
        }

        var first = failures.Keys.DefaultIfEmpty(-1).Min();
        return new FuzzCampaignResult(done, failures.Count, first + 1, first < 0 ? null : seed + (ulong)first,
            first < 0 ? null : failures[first].Result, first < 0 ? null : failures[first].Operations, counts, clock.Elapsed);
    }

    private static void InterlockedMin(ref int location, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref location)) && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }

    /// <summary>
    /// A shorter sequence that still fails: removes runs of operations (halves, quarters, … single ones)
    /// while the sequence keeps failing, then tries again until nothing more can go or
    /// <paramref name="maxAttempts"/> runs were spent. Deterministic, like the runs themselves.
    /// </summary>
    public static (IReadOnlyList<FuzzOperation> Operations, FuzzResult Result) Shrink(FuzzTarget target, string strategy, Func<FuzzHost> hostFactory,
        IReadOnlyList<FuzzOperation> failing, int maxAttempts = 400)
    {
        var current = failing.ToList();
        var result = FuzzRunner.Run(target, strategy, hostFactory, current);
        if (result.Passed)
        {
            return (current, result);
        }

        var attempts = 0;
        var progress = true;
        while (progress && attempts < maxAttempts)
        {
            progress = false;
            for (var size = Math.Max(1, current.Count / 2); size >= 1 && attempts < maxAttempts; size /= 2)
            {
                for (var start = 0; start + size <= current.Count && attempts < maxAttempts;)
                {
                    var candidate = current.Take(start).Concat(current.Skip(start + size)).ToList();
                    attempts++;
                    var tried = FuzzRunner.Run(target, strategy, hostFactory, candidate);
                    if (!tried.Passed)
                    {
                        current = candidate;
                        result = tried;
                        progress = true;
                    }
                    else
                    {
                        start += size;
                    }
                }
            }
        }

        return (current, result);
    }

    /// <summary>A sequence as people read it: one numbered operation a line.</summary>
    public static string Format(IReadOnlyList<FuzzOperation> operations) =>
        string.Join(Environment.NewLine, operations.Select((op, i) => $"{i,4}  {op}"));
}
