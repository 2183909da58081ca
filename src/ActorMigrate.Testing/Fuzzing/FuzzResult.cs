namespace ActorMigrate.Testing.Fuzzing;

/// <summary>What one sequence did: null <paramref name="Failure"/> when every invariant held after every operation.</summary>
/// <param name="FailedAt">Index of the operation after which an invariant failed; the sequence's length for the final drain.</param>
public sealed record FuzzResult(string? Failure, int FailedAt, FuzzEvents Events, int OperationsApplied)
{
    public bool Passed => Failure is null;
}
