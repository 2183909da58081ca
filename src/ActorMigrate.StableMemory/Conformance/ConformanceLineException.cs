namespace ActorMigrate.StableMemory.Conformance;

/// <summary>Line <see cref="LineNumber"/> of a case file could not be carried out or read back.</summary>
public sealed class ConformanceLineException(int lineNumber, Exception inner)
    : Exception($"line {lineNumber}: {Describe(inner)}", inner)
{
    public int LineNumber { get; } = lineNumber;

    private static string Describe(Exception e) =>
        e is ConformanceFormatException or StableMemoryException ? e.Message : $"{e.GetType().Name}: {e.Message}";
}
