namespace ActorMigrate.Actors.Configuration;

/// <summary>A persistence configuration that cannot be used; the message names the file and, for a syntax error, the line.</summary>
public sealed class PersistenceConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
