namespace ActorMigrate.Testing.Fuzzing;

/// <summary>One row of the mutation table.</summary>
/// <param name="RunsToFirstFailure">For each campaign seed, runs until the first failure (null: not caught within the budget).</param>
public sealed record MutationRow(string Strategy, bool IsMutant, IReadOnlyList<int?> RunsToFirstFailure, string? ExampleFailure)
{
    public int Caught => RunsToFirstFailure.Count(r => r is not null);

    /// <summary>The median over the campaigns that caught it; null when none did.</summary>
    public double? MedianRunsToFirstFailure
    {
        get
        {
            var caught = RunsToFirstFailure.Where(r => r is not null).Select(r => (double)r!.Value).Order().ToList();
            return caught.Count == 0 ? null : caught.Count % 2 == 1 ? caught[caught.Count / 2] : (caught[caught.Count / 2 - 1] + caught[caught.Count / 2]) / 2;
        }
    }

    /// <summary>A mutant is right when every campaign caught it; a correct strategy when none failed.</summary>
    public bool AsExpected => IsMutant ? Caught == RunsToFirstFailure.Count : Caught == 0;
}

/// <summary>
/// The mutation check of issue #8: each mutant runs <paramref name="campaigns"/> campaigns with different
/// seeds, each until its first failure or <paramref name="budget"/> runs; each correct strategy runs the same
/// campaigns and must never fail.
/// </summary>
public static class MutationCheck
{
    /// <summary>Campaign k starts at seed <c>baseSeed + k × 1,000,003</c>, so the campaigns draw different sequences.</summary>
    public const ulong CampaignStride = 1_000_003;

    public static IReadOnlyList<MutationRow> Run(FuzzTarget target, Func<FuzzHost> hostFactory, int budget, int campaigns = 5, ulong baseSeed = 1,
        int correctBudget = -1, bool parallel = false, IEnumerable<string>? only = null, Action<string>? progress = null)
    {
        var rows = new List<MutationRow>();
        var wanted = only?.ToHashSet();
        foreach (var (strategy, mutant) in target.Strategies.Select(s => (s, false)).Concat(target.Mutants.Select(m => (m, true))))
        {
            if (wanted is not null && !wanted.Contains(strategy))
            {
                continue;
            }

            var runs = new List<int?>();
            string? example = null;
            for (var k = 0; k < campaigns; k++)
            {
                var result = FuzzCampaign.Run(target, strategy, hostFactory, baseSeed + (ulong)k * CampaignStride,
                    mutant || correctBudget < 0 ? budget : correctBudget, parallel);
                runs.Add(result.Failures > 0 ? result.RunsToFirstFailure : null);
                example ??= result.Failure?.Failure;
                progress?.Invoke($"{strategy} campaign {k + 1}: {(result.Failures > 0 ? $"failed at run {result.RunsToFirstFailure}" : $"{result.Runs} runs passed")}");
            }

            rows.Add(new MutationRow(strategy, mutant, runs, example));
        }

        return rows;
    }

    /// <summary>The table as text (Markdown).</summary>
    public static string Format(IReadOnlyList<MutationRow> rows, int budget)
    {
        var lines = new List<string>
        {
            $"| strategy | kind | caught (campaigns) | median runs to first failure | runs per campaign (budget {budget}) |",
            "|---|---|---|---|---|",
        };
        lines.AddRange(rows.Select(r =>
            $"| {r.Strategy} | {(r.IsMutant ? "mutant" : "correct")} | {r.Caught}/{r.RunsToFirstFailure.Count} | {r.MedianRunsToFirstFailure?.ToString("0.#") ?? "-"} | {string.Join(" ", r.RunsToFirstFailure.Select(x => x?.ToString() ?? "-"))} |"));
        return string.Join(Environment.NewLine, lines);
    }
}
