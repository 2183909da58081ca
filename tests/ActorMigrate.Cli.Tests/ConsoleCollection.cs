namespace ActorMigrate.Cli.Tests;

/// <summary>
/// Tests that run the command in-process redirect the process-wide Console and AnsiConsole, so they must
/// never run at the same time as each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "actormigrate on the process console";
}
