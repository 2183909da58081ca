using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Reports;
using ActorMigrate.Scenarios.Running;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>report.json and chart.svg, and runs being a function of scenario and seed.</summary>
public sealed class ReportTests
{
    private static ScenarioReport Small(ScenarioJournal journal = ScenarioJournal.None, string? folder = null) =>
        ScenarioRunner.Run(ScenarioLoader.Load(Scenarios.Bug4626("accounts-v3"), "small.conf"), new RunOptions { Journal = journal, Folder = folder });

    [Fact]
    public void The_json_report_round_trips()
    {
        var report = Small();

        var json = ReportJson.Write(report);
        var back = ReportJson.Read(json);

        Assert.Equal(json, ReportJson.Write(back));
        Assert.Equal(report.Samples.Count, back.Samples.Count);
        Assert.Equal(report.Samples[^1].Canisters[0], back.Samples[^1].Canisters[0]);
    }

    [Fact]
    public void A_run_folder_gets_the_scenario_the_report_and_a_chart_of_every_series()
    {
        using var temp = new TempFolder();
        var report = Small(folder: temp.Path);
        var folder = new RunFolder(temp.Path);

        Assert.Equal(report.RecordsDigest, ReportJson.Read(File.ReadAllText(folder.Report)).RecordsDigest);
        Assert.Equal(ScenarioLoader.Load(Scenarios.Bug4626("accounts-v3"), "x").Text, File.ReadAllText(folder.Scenario));
        var svg = File.ReadAllText(folder.Chart);
        Assert.StartsWith("<svg", svg);
        Assert.Equal(3, svg.Split("<polyline").Length - 1);
        Assert.Contains("heap bytes", svg);
        Assert.Contains("stable memory bytes", svg);
        Assert.Contains("migrated / total", svg);
        var progress = svg.Split("<polyline")[3];
        progress = progress[(progress.IndexOf("points=\"", StringComparison.Ordinal) + 8)..];
        Assert.Equal(report.Samples.Count, progress[..progress.IndexOf('"', StringComparison.Ordinal)].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Two_runs_of_the_same_scenario_and_seed_are_the_same_run()
    {
        var a = Small();
        var b = Small();

        Assert.Equal(Comparable(a), Comparable(b));
    }

    [Fact]
    public void The_actors_on_the_in_memory_journal_run_a_scenario_exactly_as_the_bare_engine()
    {
        var engine = Small(ScenarioJournal.None);
        var actors = Small(ScenarioJournal.Memory);

        Assert.True(actors.Passed, actors.Failure);
        Assert.Equal(Comparable(engine), Comparable(actors));
    }

    [Fact]
    public void A_different_seed_gives_a_different_run()
    {
        var other = ScenarioRunner.Run(ScenarioLoader.Load(Scenarios.Bug4626("accounts-v3").Replace("seed = 21", "seed = 22", StringComparison.Ordinal), "x"));

        Assert.NotEqual(Small().RecordsDigest, other.RecordsDigest);
    }

    /// <summary>The report without what wall-clock time and the journal's name change.</summary>
    private static string Comparable(ScenarioReport r) => ReportJson.Write(r with { WallClockSeconds = 0, Journal = "" });
}
