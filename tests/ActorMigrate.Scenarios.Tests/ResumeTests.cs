using ActorMigrate.Actors.Configuration;
using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Running;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>
/// An interrupted run on the SQLite journal, resumed from its folder, ends as the uninterrupted run does:
/// after the migration completed (every account in stable memory) and part way through it (accounts on
/// the heap too; actor recovery restores the heap image of the last durable round).
/// </summary>
public sealed class ResumeTests
{
    [Fact]
    public void Resuming_an_interrupted_run_gives_the_same_final_state_as_an_uninterrupted_run()
    {
        using var whole = new TempFolder();
        using var parts = new TempFolder();
        var scenario = ScenarioLoader.Load(Scenarios.Resumable("sqlite"), "resumable.conf");
        var uninterrupted = ScenarioRunner.Run(scenario, new RunOptions { Folder = whole.Path });

        using var stop = new CancellationTokenSource();
        var interruptedAt = 0UL;
        var first = ScenarioRunner.Run(scenario, new RunOptions
        {
            Folder = parts.Path,
            OnRound = s =>
            {
                if (s.Stage == "wait 40 rounds" && s.Canisters[0].Phase == "completed" && interruptedAt == 0)
                {
                    interruptedAt = s.Round;
                    stop.Cancel();
                }
            },
        }, stop.Token);
        var resumed = ScenarioRunner.Resume(parts.Path);

        Assert.True(uninterrupted.Passed, uninterrupted.Failure);
        Assert.Equal("interrupted", first.Status);
        Assert.True(interruptedAt > 0);
        Assert.True(resumed.Passed, $"{resumed.Failure} {string.Join("; ", resumed.Differences.Take(5))}");
        Assert.Equal(1, resumed.Resumes);
        Assert.Equal(uninterrupted.RecordsChecked, resumed.RecordsChecked);
        Assert.Equal(uninterrupted.RecordsDigest, resumed.RecordsDigest);
        Assert.Equal(uninterrupted.CallsChecked, resumed.CallsChecked);
        Assert.Equal(uninterrupted.Events.Select(e => e.Event), resumed.Events.Select(e => e.Event));
    }

    [Fact]
    public void The_flagship_interrupted_part_way_through_its_migration_resumes_to_the_uninterrupted_runs_records()
    {
        using var whole = new TempFolder();
        using var parts = new TempFolder();
        var flagship = ScenarioLoader.Flagship();
        var uninterrupted = ScenarioRunner.Run(flagship, new RunOptions { Folder = whole.Path });

        using var stop = new CancellationTokenSource();
        var interruptedAt = (Round: 0UL, Migrated: 0L, Total: 0L, Module: "");
        var first = ScenarioRunner.Run(flagship, new RunOptions
        {
            Folder = parts.Path,
            OnRound = s =>
            {
                // Part way through the second attempt: accounts on the heap above the pointer, a copy below it.
                var c = s.Canisters[0];
                if (s.Stage.StartsWith("wait until completed", StringComparison.Ordinal) && c.Migrated > c.Total / 3 && interruptedAt.Round == 0)
                {
                    interruptedAt = (s.Round, c.Migrated, c.Total, c.Module);
                    stop.Cancel();
                }
            },
        }, stop.Token);
        var resumed = ScenarioRunner.Resume(parts.Path);

        Assert.True(uninterrupted.Passed, uninterrupted.Failure);
        Assert.Equal("interrupted", first.Status);
        Assert.Equal("accounts-v3", interruptedAt.Module);
        Assert.InRange(interruptedAt.Migrated, 1, interruptedAt.Total - 1);
        Assert.True(resumed.Passed, $"{resumed.Failure} {string.Join("; ", resumed.Differences.Take(5))}");
        Assert.Equal(0, resumed.Lost);
        Assert.Equal(1, resumed.Resumes);
        Assert.Equal(uninterrupted.RecordsChecked, resumed.RecordsChecked);
        Assert.Equal(uninterrupted.RecordsDigest, resumed.RecordsDigest);
        Assert.Equal(uninterrupted.Rounds, resumed.Rounds);
        Assert.Equal(uninterrupted.Steps, resumed.Steps);
        Assert.Equal(uninterrupted.CallsChecked, resumed.CallsChecked);
    }

    [Fact]
    public void A_recovered_canister_that_is_not_the_interrupted_one_fails_the_resume_and_names_the_records()
    {
        using var folder = new TempFolder();
        var scenario = ScenarioLoader.Load(Scenarios.Resumable("sqlite"), "resumable.conf");
        using var stop = new CancellationTokenSource();
        ScenarioRunner.Run(scenario, new RunOptions
        {
            Folder = folder.Path,
            OnRound = s =>
            {
                if (s.Stage == "wait 40 rounds" && s.Canisters[0].Phase == "completed")
                {
                    stop.Cancel();
                }
            },
        }, stop.Token);
        // Claim five more rounds of traffic than the journal holds: the rebuilt model is then ahead of the canister.
        var progressFile = new RunFolder(folder.Path).Progress;
        var progress = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(progressFile));
        var index = (int)progress["EventIndex"]!;
        progress["TrafficRounds"]![index] = (int)progress["TrafficRounds"]![index]! + 5;
        File.WriteAllText(progressFile, progress.ToString());

        var resumed = ScenarioRunner.Resume(folder.Path);

        Assert.Equal("failed", resumed.Status);
        Assert.Contains("recovered canisters differ from the model", resumed.Failure);
        Assert.True(resumed.Lost > 0);
        Assert.All(resumed.Differences, d => Assert.StartsWith("after recovery", d.What, StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_without_a_run_cannot_be_resumed()
    {
        using var empty = new TempFolder();

        var e = Assert.Throws<ConfigurationException>(() => ScenarioRunner.Resume(empty.Path));

        Assert.Contains("not a resumable run folder", e.Message);
    }

    [Fact]
    public void A_run_without_a_journal_leaves_nothing_to_resume()
    {
        using var folder = new TempFolder();
        var scenario = ScenarioLoader.Load(Scenarios.Resumable("none"), "resumable.conf");
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        var report = ScenarioRunner.Run(scenario, new RunOptions { Folder = folder.Path }, stop.Token);

        Assert.Equal("interrupted", report.Status);
        Assert.Contains("not a resumable run folder", Assert.Throws<ConfigurationException>(() => ScenarioRunner.Resume(folder.Path)).Message);
    }
}
