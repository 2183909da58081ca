using ActorMigrate.Actors.Durability;
using ActorMigrate.Canisters;
using ActorMigrate.Actors.Hosting;
using Akka.Configuration;

namespace ActorMigrate.Actors.Subnet;

/// <summary>
/// Tunables of a <see cref="SubnetActor"/>, from <c>actormigrate.subnet</c> in hocon/actors.conf
/// (each setting is explained there), plus the engine's <see cref="SubnetSettings"/>.
/// </summary>
/// <param name="Engine">The engine's settings: limits, costs, seed.</param>
/// <param name="Durability">Settings of each canister's StableMemoryActor, or null for a subnet that keeps nothing.</param>
/// <param name="ReleaseRepliesBeforeDurable">Answer ingress as soon as its round ran, before it is in the journal.</param>
/// <param name="RoundsAheadOfJournal">Rounds that may run while the journal still writes earlier ones (their
/// answers wait for it either way); 0: each round waits for its journal writes.</param>
/// <param name="MaxRoundsPerCall">Rounds an ingress message may wait for its answer before its sender gets a timeout.</param>
/// <param name="RealTimeRoundInterval">When set, a round runs at this real-time interval even when nothing drives
/// the subnet, and the virtual clock moves by the real time elapsed (an IC subnet's ~1 round/s); null: rounds run
/// only for ingress and <see cref="RunRounds"/> (PocketIC-like, deterministic).</param>
public sealed record SubnetActorSettings(
    SubnetSettings Engine,
    StableMemorySettings? Durability,
    bool ReleaseRepliesBeforeDurable = false,
    int MaxRoundsPerCall = 10_000,
    TimeSpan? RealTimeRoundInterval = null,
    int RoundsAheadOfJournal = 4)
{
    public const string ConfigPath = "actormigrate.subnet";

    /// <summary>A subnet without durability: for tests and benchmarks of the bare hosting.</summary>
    public static SubnetActorSettings Volatile(SubnetSettings? engine = null) => new(engine ?? SubnetSettings.Default, null);

    /// <summary>Reads <see cref="ConfigPath"/> and the stable-memory settings from an ActorSystem's config.</summary>
    public static SubnetActorSettings FromConfig(Config config, SubnetSettings? engine = null)
    {
        var section = config.GetConfig(ConfigPath) ?? ActorMigrateActors.DefaultConfig.GetConfig(ConfigPath);
        var durable = section.GetBoolean("durable", true);
        return new SubnetActorSettings(
            engine ?? SubnetSettings.Default,
            durable ? StableMemorySettings.FromConfig(config) : null,
            section.GetBoolean("release-replies-before-durable", false),
            section.GetInt("max-rounds-per-call", 10_000),
            section.GetBoolean("real-time-rounds", false) ? RealTimeInterval(section) : null,
            RoundsAhead(section));
    }

    private static int RoundsAhead(Config section)
    {
        var rounds = section.GetInt("rounds-ahead-of-journal", 4);
        return rounds >= 0
            ? rounds
            : throw new Configuration.ConfigurationException($"{ConfigPath}.rounds-ahead-of-journal = {rounds}; it must be 0 or more");
    }

    private static TimeSpan RealTimeInterval(Config section)
    {
        var interval = section.GetTimeSpan("real-time-round-interval", TimeSpan.FromSeconds(1));
        return interval > TimeSpan.Zero
            ? interval
            : throw new Configuration.ConfigurationException($"{ConfigPath}.real-time-round-interval = {interval}; it must be positive");
    }
}
