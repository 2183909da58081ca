namespace ActorMigrate.Canisters;

/// <summary>A recorded callback that cannot be bound again in this process (its method is gone or changed).</summary>
public sealed class CallbackBindException(string message) : Exception(message);
