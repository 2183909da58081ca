using System.Text.RegularExpressions;

namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class CalibrateCommandTests
{
    [Fact]
    public async Task Calibrate_prints_one_NAME_INSTRUCTIONS_line_per_workload_in_the_order_named()
    {
        var run = (await CliRun.Of("calibrate", "vec_get_u64", "write_chunks_stable_1k")).ExpectExitCode(0);

        Assert.Equal(2, run.OutLines.Length);
        Assert.Equal(["vec_get_u64", "write_chunks_stable_1k"], run.OutLines.Select(line => line.Split(' ')[0]));
        Assert.All(run.OutLines, line =>
        {
            var match = Regex.Match(line, @"^\S+ (\d+)$");
            Assert.True(match.Success, $"not NAME INSTRUCTIONS: '{line}'");
            Assert.True(ulong.Parse(match.Groups[1].Value) > 0, $"no instructions counted: '{line}'");
        });
    }

    [Fact]
    public async Task An_unknown_workload_is_one_error_line_naming_it_and_exit_code_1_not_a_crash()
    {
        var run = (await CliRun.Of("calibrate", "vec_get_u64", "no_such_workload")).ExpectExitCode(1).ExpectOneLineError("'no_such_workload'");

        Assert.Equal("", run.Out);
    }
}
