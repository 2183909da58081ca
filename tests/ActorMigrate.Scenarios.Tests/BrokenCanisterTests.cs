using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Running;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>A run catches a deliberately broken canister: accounts-v3-bug4626 under the script that triggers #4626.</summary>
public sealed class BrokenCanisterTests
{
    [Fact]
    public void A_run_of_the_bug_4626_release_fails_and_names_the_records_it_lost()
    {
        var report = ScenarioRunner.Run(ScenarioLoader.Load(Scenarios.Bug4626("accounts-v3-bug4626"), "bug-4626.conf"));

        Assert.Equal("failed", report.Status);
        Assert.True(report.Lost > 0, "the broken release lost nothing: the bug did not reproduce");
        var named = report.Differences.Where(d => d.What.StartsWith("final check", StringComparison.Ordinal)).ToList();
        Assert.Equal(report.Lost, named.Count);
        Assert.All(named, d => Assert.Matches(@"^\d{5}-\d$", d.Principal));
    }

    [Fact]
    public void The_fixed_v3_passes_the_same_script()
    {
        var report = ScenarioRunner.Run(ScenarioLoader.Load(Scenarios.Bug4626("accounts-v3"), "bug-4626.conf"));

        Assert.True(report.Passed, $"{report.Failure} {string.Join("; ", report.Differences.Take(5))}");
        Assert.Equal(0, report.Lost);
    }

    [Fact]
    public void An_event_that_goes_wrong_fails_the_run_with_its_reason()
    {
        var text = Scenarios.Bug4626("accounts-v3").Replace("{ wait-until-phase = completed, max-rounds = 100 }", "{ wait-until-phase = aborted, max-rounds = 5 }", StringComparison.Ordinal);

        var report = ScenarioRunner.Run(ScenarioLoader.Load(text, "stuck.conf"), new RunOptions { Journal = ScenarioJournal.None });

        Assert.Equal("failed", report.Status);
        Assert.Contains("after 5 rounds", report.Failure);
    }
}
