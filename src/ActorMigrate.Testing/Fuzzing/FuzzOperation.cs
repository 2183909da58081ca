using ActorMigrate.Canisters;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// One step of a fuzzed interleaving. Operations name keys and values, never positions in a random
/// stream, so a saved operation list (<see cref="FuzzOperationsJson"/>) replays the same calls after the
/// generators change. The runner (<see cref="FuzzRunner"/>) applies each to a canister and to its model.
/// </summary>
public abstract record FuzzOperation
{
    /// <summary>The name in an operation list and in printed sequences.</summary>
    public abstract string Name { get; }

    /// <summary>True for the events that change the canister's life rather than its records.</summary>
    public virtual bool IsLifecycle => false;
}

// ---- traffic ----

/// <summary>Insert or overwrite <paramref name="Key"/> with <paramref name="Value"/> (the target's value type).</summary>
public sealed record PutOp(string Key, object Value) : FuzzOperation
{
    public override string Name => "put";

    public override string ToString() => $"put {Key}";
}

public sealed record RemoveOp(string Key) : FuzzOperation
{
    public override string Name => "remove";

    public override string ToString() => $"remove {Key}";
}

public sealed record GetOp(string Key) : FuzzOperation
{
    public override string Name => "get";

    public override string ToString() => $"get {Key}";
}

/// <summary>Up to <paramref name="Limit"/> records from <paramref name="From"/> (inclusive), in key order.</summary>
public sealed record RangeOp(string From, int Limit) : FuzzOperation
{
    public override string Name => "range";

    public override string ToString() => $"range {From} {Limit}";
}

// ---- time ----

public sealed record TickOp(int Rounds) : FuzzOperation
{
    public override string Name => "tick";

    public override string ToString() => $"tick {Rounds}";
}

/// <summary>Moves the clock (timers fall due) and runs one round.</summary>
public sealed record AdvanceTimeOp(int Seconds) : FuzzOperation
{
    public override string Name => "advance_time";

    public override string ToString() => $"advance_time {Seconds}s";
}

// ---- lifecycle ----

/// <summary>
/// An upgrade to <paramref name="Version"/> (a downgrade when it is older than the installed one), with
/// the target's upgrade argument number <paramref name="Settings"/>, optionally skipping pre_upgrade.
/// </summary>
public sealed record UpgradeOp(int Version, int Settings, bool SkipPreUpgrade = false) : FuzzOperation
{
    public override string Name => "upgrade";

    public override bool IsLifecycle => true;

    public override string ToString() => $"upgrade v{Version} settings {Settings}{(SkipPreUpgrade ? " skip_pre_upgrade" : "")}";
}

/// <summary>Starts the reverse migration (the in-binary rollback) with steps of <paramref name="Chunk"/> records.</summary>
public sealed record ReverseMigrationOp(int Chunk) : FuzzOperation
{
    public override string Name => "reverse_migration";

    public override bool IsLifecycle => true;

    public override string ToString() => $"reverse_migration chunk {Chunk}";
}

/// <summary>Arms a trap of <paramref name="Kind"/> for the canister's next update-like execution.</summary>
public sealed record TrapNextOp(InjectedTrap Kind) : FuzzOperation
{
    public override string Name => "trap_next";

    public override bool IsLifecycle => true;

    public override string ToString() => $"trap_next {Kind}";
}

/// <summary>The host dies and recovers from its journal (actors only; the engine has nothing to crash and skips it).</summary>
public sealed record CrashOp : FuzzOperation
{
    public override string Name => "crash";

    public override bool IsLifecycle => true;

    public override string ToString() => "crash";
}

public sealed record StopOp : FuzzOperation
{
    public override string Name => "stop";

    public override bool IsLifecycle => true;

    public override string ToString() => "stop";
}

public sealed record StartOp : FuzzOperation
{
    public override string Name => "start";

    public override bool IsLifecycle => true;

    public override string ToString() => "start";
}

public sealed record TakeSnapshotOp : FuzzOperation
{
    public override string Name => "take_snapshot";

    public override bool IsLifecycle => true;

    public override string ToString() => "take_snapshot";
}

/// <summary>Loads the snapshot taken <paramref name="Index"/>-th (modulo the number taken; nothing when none was).</summary>
public sealed record LoadSnapshotOp(int Index) : FuzzOperation
{
    public override string Name => "load_snapshot";

    public override bool IsLifecycle => true;

    public override string ToString() => $"load_snapshot {Index}";
}

/// <summary>A principal that does not control the canister tries to upgrade it: it must be refused.</summary>
public sealed record StrangerUpgradeOp(int Version) : FuzzOperation
{
    public override string Name => "stranger_upgrade";

    public override bool IsLifecycle => true;

    public override string ToString() => $"stranger_upgrade v{Version}";
}

/// <summary>A stranger calls the migration step endpoint: it must be refused and the migration must not move.</summary>
public sealed record StrangerStepOp(int Chunk) : FuzzOperation
{
    public override string Name => "stranger_step";

    public override string ToString() => $"stranger_step {Chunk}";
}
