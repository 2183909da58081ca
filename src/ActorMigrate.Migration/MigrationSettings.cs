namespace ActorMigrate.Migration;

/// <summary>How a canister migrates (its post_upgrade argument; every field has a hocon default under <c>actormigrate.migration</c>).</summary>
public sealed record MigrationSettings
{
    public RoutingPolicyKind Policy { get; init; } = RoutingPolicyKind.DualWrite;

    public StepSizing Sizing { get; init; } = StepSizing.Fixed(20);

    public MigrationTriggers Triggers { get; init; } = MigrationTriggers.Heartbeat;

    public AtomicMode Atomic { get; init; } = AtomicMode.Never;

    public TimeSpan TimerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Share of the upgrade budget (permille) an atomic migration may be projected to use.</summary>
    public int AtomicBudgetSharePermille { get; init; } = 900;

    /// <summary>False: post_upgrade does not start a migration (the store stays where it is).</summary>
    public bool StartOnUpgrade { get; init; } = true;

    public static MigrationSettings Default { get; } = new();
}
