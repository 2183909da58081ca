using System.Runtime.CompilerServices;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// The message of an invariant check, formatted only when the check fails. The runner checks a few dozen
/// invariants after every operation of every sequence; formatting each message up front (record keys,
/// versions, counts) was a measurable share of a fuzz run's allocations, all of it thrown away.
/// </summary>
[InterpolatedStringHandler]
public ref struct InvariantMessage
{
    private DefaultInterpolatedStringHandler text;

    public InvariantMessage(int literalLength, int formattedCount, bool condition, out bool failed)
    {
        failed = !condition;
        text = failed ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => text.AppendFormatted(value, format);

    public void AppendFormatted(string? value) => text.AppendFormatted(value);

    public override string ToString() => text.ToStringAndClear();
}
