using Newtonsoft.Json.Linq;

namespace ActorMigrate.Cli.Tests;

/// <summary><c>actormigrate run</c>: exit codes (0 green, 1 bad input, 2 a record differs), the summary, the report files.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RunCommandTests
{
    private const string Scenario = """
        # a small scenario for the command's tests
        scenario {
          name = cli-small
          seed = 4
          journal = none
          canisters = [ { name = accounts, module = accounts-v2 } ]
          data { records = 120 }
          traffic { calls-per-round = 2 }
          script = [
            { upgrade = MODULE, migration { step.chunk = 100 } }
            { wait-until-phase = completed, max-rounds = 50 }
            { upgrade = MODULE, migration { start-on-upgrade = off, triggers = none } }
            { start-migration = stable-to-heap, migration { step.chunk = 100 } }
            { wait-until-phase = completed, max-rounds = 50 }
            { wait-rounds = 20 }
            { upgrade = MODULE, migration { start-on-upgrade = off, triggers = none } }
          ]
        }
        """;

    private static string Write(TempFolder folder, string module, string text = Scenario)
    {
        var path = folder.File("scenario.conf");
        File.WriteAllText(path, text.Replace("MODULE", module, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public async Task With_no_scenario_run_plays_the_flagship_and_exits_0_with_lost_0()
    {
        using var folder = new TempFolder();
        var output = folder.File("run");

        var run = (await CliRun.Of("run", "--journal", "none", "--out", output)).ExpectExitCode(0);

        Assert.Contains("Running flagship", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"│ lost\s+│ 0\s+│", run.Out);
        Assert.Matches(@"│ status\s+│ passed", run.Out);
        Assert.Contains("records checked against the model", run.Out, StringComparison.Ordinal);
        var report = JObject.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal("flagship", (string?)report["scenario"]);
        Assert.True(File.Exists(Path.Combine(output, "chart.svg")));
        Assert.Contains(Path.Combine(output, "report.json"), run.Out, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> ExampleScenarios()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "examples", "scenarios");
            if (Directory.Exists(folder))
            {
                return Directory.GetFiles(folder, "*.conf").Order(StringComparer.Ordinal).Select(f => new object[] { f });
            }
        }

        throw new DirectoryNotFoundException("examples/scenarios was not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [MemberData(nameof(ExampleScenarios))]
    public async Task Every_example_scenario_exits_0_through_the_command(string scenario)
    {
        using var folder = new TempFolder();

        var run = (await CliRun.Of("run", scenario, "--journal", "none", "--out", folder.File("run"))).ExpectExitCode(0);

        Assert.Matches(@"│ lost\s+│ 0\s+│", run.Out);
    }

    [Fact]
    public async Task A_broken_canister_makes_run_exit_2_and_name_the_differing_records()
    {
        using var folder = new TempFolder();

        var run = (await CliRun.Of("run", Write(folder, "accounts-v3-bug4626"), "--out", folder.File("run"))).ExpectExitCode(2);

        Assert.Matches(@"│ status\s+│ failed", run.Out);
        Assert.Matches(@"differs accounts \d{5}-\d \(round \d+\): final check: (missing|differs|unexpected)", run.Out);
        Assert.DoesNotMatch(@"│ lost\s+│ 0\s+│", run.Out);
    }

    [Fact]
    public async Task The_same_script_on_the_fixed_v3_exits_0()
    {
        using var folder = new TempFolder();

        (await CliRun.Of("run", Write(folder, "accounts-v3"), "--out", folder.File("run"))).ExpectExitCode(0);
    }

    [Fact]
    public async Task A_bad_scenario_file_exits_1_with_one_line_naming_the_line_and_key()
    {
        using var folder = new TempFolder();
        var path = Write(folder, "accounts-v7");

        (await CliRun.Of("run", path)).ExpectExitCode(1).ExpectOneLineError("line 10: scenario.script[0].upgrade = accounts-v7: unknown module");
    }

    [Fact]
    public async Task A_missing_scenario_file_exits_1() =>
        (await CliRun.Of("run", "/nonexistent/x.conf")).ExpectExitCode(1).ExpectOneLineError("/nonexistent/x.conf: cannot read the scenario");

    [Fact]
    public async Task Resuming_a_folder_without_a_run_exits_1()
    {
        using var folder = new TempFolder();

        (await CliRun.Of("run", "--resume", folder.Path)).ExpectExitCode(1).ExpectOneLineError("not a resumable run folder");
    }

    [Fact]
    public async Task An_unknown_journal_exits_1() =>
        (await CliRun.Of("run", "--journal", "postgres")).ExpectExitCode(1).ExpectOneLineError("--journal postgres: must be sqlite, memory or none");

    [Fact]
    public async Task A_run_folder_that_already_holds_a_run_is_not_overwritten()
    {
        using var folder = new TempFolder();
        var path = Write(folder, "accounts-v3");
        (await CliRun.Of("run", path, "--out", folder.File("run"))).ExpectExitCode(0);
        File.WriteAllText(Path.Combine(folder.File("run"), "progress.json"), "{}"); // only a sqlite run keeps its progress; any will do

        (await CliRun.Of("run", path, "--out", folder.File("run"))).ExpectExitCode(1).ExpectOneLineError("already holds a run");
    }
}
