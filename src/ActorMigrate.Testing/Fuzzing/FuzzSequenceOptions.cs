namespace ActorMigrate.Testing.Fuzzing;

/// <summary>Shape of generated sequences.</summary>
/// <param name="MinOperations">At least this many operations (default 50).</param>
/// <param name="MaxOperations">At most this many.</param>
/// <param name="MinLifecycleEvents">At least this many lifecycle events (default 2).</param>
/// <param name="Crashes">Generate crashes (only the actors can crash; the engine would skip them).</param>
/// <param name="Prefill">Puts at the start, before the upgrade to the migrating version (part of the operations).</param>
public sealed record FuzzSequenceOptions(int MinOperations = 50, int MaxOperations = 80, int MinLifecycleEvents = 2, bool Crashes = false, int Prefill = 30)
{
    public static FuzzSequenceOptions Default { get; } = new();
}
