namespace ActorMigrate.Canisters;

/// <summary>What a canister's executions cost, for tests and the planner.</summary>
public sealed class CanisterMetrics
{
    public long Executions { get; internal set; }

    public long Traps { get; internal set; }

    public long InstructionsUsedTotal { get; internal set; }

    /// <summary>Instructions of the latest finished execution (an upgrade: pre_upgrade + post_upgrade).</summary>
    public long LastInstructionsUsed { get; internal set; }

    /// <summary>Rounds the canister spent inside a sliced execution (blocked for everything else).</summary>
    public long RoundsBlocked { get; internal set; }

    /// <summary>Rounds in which the per-round delta limit held it back.</summary>
    public long RoundsHeldBack { get; internal set; }

    /// <summary>Sliced executions a checkpoint aborted (they restart).</summary>
    public long SlicedExecutionsAborted { get; internal set; }

    /// <summary>The running totals, as a durable host keeps them (the latest execution's figure is not a total).</summary>
    public MetricTotals Totals => new(Executions, Traps, InstructionsUsedTotal, RoundsBlocked, RoundsHeldBack, SlicedExecutionsAborted);

    internal void Restore(MetricTotals totals) =>
        (Executions, Traps, InstructionsUsedTotal, RoundsBlocked, RoundsHeldBack, SlicedExecutionsAborted) =
        (totals.Executions, totals.Traps, totals.InstructionsUsedTotal, totals.RoundsBlocked, totals.RoundsHeldBack, totals.SlicedExecutionsAborted);
}

/// <summary>The running totals of <see cref="CanisterMetrics"/>.</summary>
public readonly record struct MetricTotals(long Executions, long Traps, long InstructionsUsedTotal, long RoundsBlocked, long RoundsHeldBack, long SlicedExecutionsAborted);
