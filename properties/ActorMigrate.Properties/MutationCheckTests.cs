using ActorMigrate.Examples.Accounts.Fuzzing;
using Xunit.Abstractions;

namespace ActorMigrate.Properties;

/// <summary>
/// The mutation check of issue #8, bounded for CI: every one of the seven broken strategies is caught in
/// each of 5 campaigns (different seeds) within the budget, and the correct strategies never fail on the
/// same campaigns. Prints the table (median runs to the first failure).
/// </summary>
public sealed class MutationCheckTests(ITestOutputHelper output)
{
    /// <summary>Runs per mutant campaign before it counts as not caught (ACTORMIGRATE_FUZZ_BUDGET multiplies it).</summary>
    public static int MutantBudget => FuzzBudget.Of(60);

    [Fact]
    public void Every_mutant_is_caught_with_5_seeds_and_no_correct_strategy_fails()
    {
        var target = AccountsFuzzTarget.Instance;
        var rows = MutationCheck.Run(target, () => new EngineFuzzHost(target.Subnet), MutantBudget, campaigns: 5, correctBudget: FuzzBudget.Of(3));
        output.WriteLine(MutationCheck.Format(rows, MutantBudget));

        Assert.Equal(7, rows.Count(r => r.IsMutant));
        Assert.All(rows, row => Assert.True(row.AsExpected,
            row.IsMutant ? $"{row.Strategy} was caught in {row.Caught}/5 campaigns" : $"{row.Strategy} failed: {row.ExampleFailure}"));
    }
}
