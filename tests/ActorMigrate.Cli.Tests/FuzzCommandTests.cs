namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class FuzzCommandTests
{
    [Fact]
    public async Task Fuzz_of_a_correct_strategy_exits_0_and_counts_the_sequences_that_hit_each_event()
    {
        var run = (await CliRun.Of("fuzz", "--strategy", "pointer-routed", "--budget", "6", "--seed", "3")).ExpectExitCode(0);

        Assert.Contains("6 sequences in", run.Out, StringComparison.Ordinal);
        Assert.Contains("runs/s", run.Out, StringComparison.Ordinal);
        Assert.Contains("PartWayDowngrade", run.Out, StringComparison.Ordinal);
        Assert.Contains("MigrationCompleted", run.Out, StringComparison.Ordinal);
        Assert.Contains("no invariant failed (pointer-routed)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_of_a_mutant_exits_2_prints_the_seed_and_the_shrunk_sequence_and_its_json_replays_the_failure()
    {
        using var folder = new TempFolder();
        var run = (await CliRun.Of("fuzz", "--strategy", "mutant-4626-label-not-store", "--budget", "30", "--out", folder.Path)).ExpectExitCode(2);

        Assert.Contains("FAILED mutant-4626-label-not-store at run", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"seed \d+", run.Out);
        Assert.Contains("shrunk from", run.Out, StringComparison.Ordinal);
        var json = Assert.Single(Directory.GetFiles(folder.Path, "*.json"));
        Assert.Contains("\"op\": \"upgrade\"", File.ReadAllText(json), StringComparison.Ordinal);

        var replay = (await CliRun.Of("fuzz", "--replay", json)).ExpectExitCode(2);
        Assert.Contains("FAILED after operation", replay.Out, StringComparison.Ordinal);
        (await CliRun.Of("fuzz", "--replay", json, "--strategy", "dual-write")).ExpectExitCode(0);
    }

    [Fact]
    public async Task Fuzz_parallel_runs_the_same_sequences_as_one_thread_and_finds_the_same_events()
    {
        var one = (await CliRun.Of("fuzz", "--budget", "4", "--seed", "11")).ExpectExitCode(0);
        var two = (await CliRun.Of("fuzz", "--budget", "4", "--seed", "11", "--parallel")).ExpectExitCode(0);

        static List<string> Events(CliRun run) =>
            [.. run.OutLines.Where(l => Enum.GetNames<ActorMigrate.Testing.Fuzzing.FuzzEvents>().Any(name => name != "None" && l.Contains(name, StringComparison.Ordinal)))];
        Assert.Equal(Enum.GetValues<ActorMigrate.Testing.Fuzzing.FuzzEvents>().Length - 1, Events(one).Count);
        Assert.Equal(Events(one), Events(two));
    }

    [Fact]
    public async Task Fuzz_mutants_prints_the_mutation_table_and_exits_0_when_the_mutant_is_caught_in_every_campaign()
    {
        var run = (await CliRun.Of("fuzz", "--mutants", "--strategy", "mutant-unbounded-step", "--budget", "5")).ExpectExitCode(0);

        Assert.Contains("| mutant-unbounded-step | mutant | 5/5 |", run.Out, StringComparison.Ordinal);
        Assert.Contains("median runs to first failure", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_with_an_unknown_strategy_names_the_known_ones_in_one_error_line()
    {
        var run = (await CliRun.Of("fuzz", "--strategy", "magic")).ExpectExitCode(1);

        run.ExpectOneLineError("--strategy magic is unknown");
        Assert.Contains("mutant-unbounded-step", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_replay_of_a_file_that_is_not_an_operation_list_is_one_error_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.json");
        await File.WriteAllTextAsync(path, "{ \"operations\": [ { \"op\": \"teleport\" } ] }");

        (await CliRun.Of("fuzz", "--replay", path)).ExpectExitCode(1).ExpectOneLineError("unknown op \"teleport\"");
    }
}
