namespace ActorMigrate.Actors.Durability;

/// <summary>A checkpoint (manifest, chunk events or image) that does not hold what it claims. The message says what and where.</summary>
public sealed class CorruptCheckpointException(string message) : Exception(message);
