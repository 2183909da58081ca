namespace ActorMigrate.Canisters;

/// <summary>
/// The IC's execution limits, with its defaults for an application subnet. Names follow
/// hocon/actormigrate.conf (section <c>actormigrate.canisters.limits</c>), where each is documented.
/// </summary>
public sealed record ExecutionLimits
{
    private const long GiB = 1L << 30;
    private const long MiB = 1L << 20;

    /// <summary>Update, heartbeat, timer, global timer, response: 40 B instructions.</summary>
    public long MaxInstructionsPerUpdate { get; init; } = 40_000_000_000;

    /// <summary>Query: 5 B instructions.</summary>
    public long MaxInstructionsPerQuery { get; init; } = 5_000_000_000;

    /// <summary>Install, reinstall and upgrade: 300 B for the whole message (pre_upgrade and post_upgrade share it).</summary>
    public long MaxInstructionsPerInstallCode { get; init; } = 300_000_000_000;

    /// <summary>Deterministic time slicing: instructions per round of a long execution.</summary>
    public long MaxInstructionsPerSlice { get; init; } = 2_000_000_000;

    /// <summary>Install code rate limit: instructions of install_code a canister recovers per round.</summary>
    public long InstallCodeRateLimitPerRound { get; init; } = 2_000_000_000;

    /// <summary>Stable memory one update/heartbeat/timer execution may dirty (IC0524).</summary>
    public long MaxDirtyStableBytesPerUpdate { get; init; } = 2 * GiB;

    /// <summary>Stable memory one install/upgrade may dirty (IC0524).</summary>
    public long MaxDirtyStableBytesPerInstallCode { get; init; } = 8 * GiB;

    /// <summary>Wasm heap size: 4 GiB for wasm32. Exceeding it is an allocation trap (IC0502).</summary>
    public long MaxHeapBytes { get; init; } = 4 * GiB;

    /// <summary>wasm_memory_limit default for new canisters (IC0539; update, init and post_upgrade only).</summary>
    public long DefaultWasmMemoryLimitBytes { get; init; } = 3 * GiB;

    /// <summary>wasm_memory_threshold default: 0 disables on_low_wasm_memory.</summary>
    public long DefaultWasmMemoryThresholdBytes { get; init; }

    /// <summary>Stable memory maximum: 500 GiB, in 64 KiB pages.</summary>
    public ulong MaxStableMemoryPages { get; init; } = StableMemory.WasmPage.MaxStableMemoryPages;

    /// <summary>Heap + stable delta a canister may produce in a round before it is held back for the rest of it.</summary>
    public long MaxDeltaBytesPerRound { get; init; } = 75 * MiB;

    /// <summary>A checkpoint every this many rounds aborts sliced executions in progress.</summary>
    public long CheckpointIntervalRounds { get; init; } = 500;
}
