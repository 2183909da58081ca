namespace ActorMigrate.Actors.Configuration;

/// <summary>A HOCON configuration (persistence, subnet settings) that cannot be used; the message names the file and, for a syntax error, the line.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
