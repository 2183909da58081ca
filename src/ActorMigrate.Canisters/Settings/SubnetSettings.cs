namespace ActorMigrate.Canisters;

/// <summary>Everything configurable about a simulated subnet (hocon section <c>actormigrate.canisters</c>).</summary>
public sealed record SubnetSettings
{
    public ExecutionLimits Limits { get; init; } = new();

    public CostModel Costs { get; init; } = new();

    /// <summary>Seed of the subnet's deterministic randomness (raw_rand).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Time at round 0, nanoseconds since the epoch (PocketIC starts at a fixed instant too).</summary>
    public ulong GenesisTimeNanos { get; init; } = 1_620_328_630_000_000_000;

    public static SubnetSettings Default { get; } = new();

    /// <summary>A system subnet (NNS): dirtying stable pages costs no instructions.</summary>
    public static SubnetSettings System { get; } = new() { Costs = new CostModel().ForSystemSubnet() };
}
