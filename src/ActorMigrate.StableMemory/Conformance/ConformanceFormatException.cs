namespace ActorMigrate.StableMemory.Conformance;

/// <summary>A line of a case that the runner cannot carry out; the case fails with this message.</summary>
public sealed class ConformanceFormatException(string message) : Exception(message);
