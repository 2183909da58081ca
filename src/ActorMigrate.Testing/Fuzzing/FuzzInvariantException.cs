namespace ActorMigrate.Testing.Fuzzing;

/// <summary>An invariant of issue #8 did not hold; the message says which and how.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
