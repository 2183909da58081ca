namespace ActorMigrate.Canisters;

/// <summary>
/// An execution to run: enough to run it again from the start, which deterministic time slicing does
/// when a sliced execution that could not be kept completes (the first run only measured it; see
/// <see cref="KeptExecution"/>) or when a checkpoint aborts it.
/// </summary>
internal sealed record Work(
    ExecutionKind Kind,
    string Method,
    Principal Caller,
    CallOrigin Origin,
    Func<Ic0, Outcome> Body)
{
    /// <summary>install_code: runs after the install commits (module swap, version, rate limit).</summary>
    public InstallCodeMessage? Install { get; init; }

    /// <summary>Reinstall and install start from empty stable memory.</summary>
    public bool WipesStableMemory { get; init; }
}
