using System.ComponentModel;
using ActorMigrate.StableMemory.Conformance;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate conformance DIR</c>: runs every conformance case and upstream golden in DIR and its
/// subfolders against the port; one line per case, then <c>N passed, M failed</c>; exit 1 if any failed.
/// </summary>
public sealed class ConformanceCommand : Command<ConformanceCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("Folder holding the cases (NAME.ops, NAME.image.gz, NAME.expect) and upstream/ goldens; searched recursively")]
        public string Directory { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(settings.Directory))
        {
            Console.Error.WriteLine($"error: no such folder: {settings.Directory}");
            return 1;
        }

        // Plain lines, never wrapped: one per case, so the output can be compared and grepped.
        var results = new ConformanceRunner().RunDirectory(settings.Directory);
        if (results.Count == 0)
        {
            Console.Error.WriteLine($"no conformance cases (*.ops) or upstream goldens found in {settings.Directory}");
        }

        foreach (var result in results)
        {
            Console.WriteLine(result.Passed ? $"{result.Name}: pass" : $"{result.Name}: fail ({result.Reason})");
        }

        var passed = results.Count(r => r.Passed);
        var failed = results.Count - passed;
        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed > 0 || results.Count == 0 ? 1 : 0;
    }
}
