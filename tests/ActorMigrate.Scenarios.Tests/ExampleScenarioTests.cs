using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Running;
using Xunit.Abstractions;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>Every example scenario runs green on the bare engine: every event did what it says, no record or answer differs from the model.</summary>
public sealed class ExampleScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ExampleScenarios.Names), MemberType = typeof(ExampleScenarios))]
    public void Every_example_scenario_runs_green_and_loses_no_account(string name)
    {
        var report = ScenarioRunner.Run(ExampleScenarios.Load(name), new RunOptions { Journal = ScenarioJournal.None });

        foreach (var e in report.Events)
        {
            output.WriteLine($"{e.StartRound,6} {e.Event}: {e.Outcome}");
        }

        output.WriteLine($"rounds {report.Rounds}, steps {report.Steps}, largest step {report.LargestStepInstructions:N0}, heap high-water {report.HeapHighWaterBytes:N0}, checked {report.RecordsChecked}");
        Assert.True(report.Passed, $"{report.Status}: {report.Failure}\n{string.Join("\n", report.Differences.Take(10))}");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.CallsDiffering);
        Assert.True(report.RecordsChecked > 0);
    }
}
