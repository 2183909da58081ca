using System.Text.RegularExpressions;
using Spectre.Console;

namespace ActorMigrate.Cli.Tests;

/// <summary>What one in-process run of <c>actormigrate</c> printed and returned.</summary>
public sealed partial record CliRun(int ExitCode, string Out, string Error)
{
    public string AllOutput => Out + Error;

    /// <summary>
    /// Runs the real app (<see cref="ActorMigrateApp.RunAsync"/>, as Program.cs does) with stdout, stderr and
    /// Spectre's AnsiConsole captured; the previous consoles are restored afterwards.
    /// </summary>
    public static async Task<CliRun> Of(params string[] args)
    {
        var (previousOut, previousError, previousAnsi) = (Console.Out, Console.Error, AnsiConsole.Console);
        var output = new StringWriter();
        var error = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        ansi.Profile.Width = 200;
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            AnsiConsole.Console = ansi;
            var exitCode = await ActorMigrateApp.RunAsync(args);
            return new CliRun(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            AnsiConsole.Console = previousAnsi;
        }
    }

    /// <summary>Lines of stdout, without blank ones.</summary>
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Lines of stderr, without blank ones.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when the output shows a .NET stack frame or an exception type name, which a user must never see.</summary>
    public bool ShowsAStackTrace => AllOutput.Contains("   at ", StringComparison.Ordinal) || ExceptionTypeName().IsMatch(AllOutput);

    /// <summary>Fails with the whole output when the run did not exit with <paramref name="expected"/>.</summary>
    public CliRun ExpectExitCode(int expected)
    {
        Assert.True(ExitCode == expected, $"expected exit code {expected}, got {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}");
        return this;
    }

    /// <summary>A bad-input run: exactly one line, on stderr, starting "error:", containing <paramref name="naming"/>; no stack trace.</summary>
    public CliRun ExpectOneLineError(string naming)
    {
        Assert.False(ShowsAStackTrace, $"a stack trace or exception name reached the user:\n{AllOutput}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("error:", line, StringComparison.Ordinal);
        Assert.Contains(naming, line, StringComparison.Ordinal);
        return this;
    }

    [GeneratedRegex(@"[A-Za-z]Exception\b")]
    private static partial Regex ExceptionTypeName();
}
