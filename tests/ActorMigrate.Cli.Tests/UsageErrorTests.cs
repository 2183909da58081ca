namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class UsageErrorTests
{
    [Fact]
    public async Task An_unknown_command_is_one_error_line_and_exit_code_1_not_a_crash()
    {
        (await CliRun.Of("migrate-everything")).ExpectExitCode(1).ExpectOneLineError("Unknown command 'migrate-everything'");
    }

    [Fact]
    public async Task A_command_without_its_required_argument_is_one_error_line_and_exit_code_1()
    {
        (await CliRun.Of("inspect")).ExpectExitCode(1).ExpectOneLineError("IMAGE");
    }
}
