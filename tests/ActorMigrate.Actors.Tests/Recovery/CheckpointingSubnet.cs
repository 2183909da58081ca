using ActorMigrate.Actors.Subnet;
using Akka.Configuration;

namespace ActorMigrate.Actors.Tests;

/// <summary>The durable subnet of a test's config with a checkpoint exactly every N rounds (no journal ratio), so recovery starts from one.</summary>
internal static class CheckpointingSubnet
{
    /// <param name="rounds">Rounds between checkpoints; 0 = none (recovery replays every round).</param>
    public static SubnetActorSettings Every(Config config, int rounds)
    {
        var settings = SubnetActorSettings.FromConfig(config);
        return settings with { Durability = settings.Durability! with { SnapshotIntervalRounds = rounds, CheckpointJournalRatio = 0 } };
    }
}
