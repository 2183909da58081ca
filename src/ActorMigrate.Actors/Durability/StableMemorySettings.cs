using Akka.Configuration;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// Tunables of a <see cref="StableMemoryActor"/>, from <c>actormigrate.persistence.stable-memory</c>
/// in hocon/persistence.conf (each setting is explained there).
/// </summary>
/// <param name="SnapshotIntervalRounds">A checkpoint every N durable rounds; 0 = never.</param>
/// <param name="CheckpointChunkBytes">Upper bound of one checkpoint chunk event.</param>
/// <param name="CheckpointLoadTimeout">How long recovery waits for a checkpoint's chunks.</param>
/// <param name="JournalPluginId">Journal plugin path, or null for akka.persistence.journal.plugin.</param>
/// <param name="SnapshotPluginId">Snapshot store plugin path, or null for the default.</param>
/// <param name="CheckpointWriteBytes">Upper bound of the chunks one journal write carries (at least one
/// chunk): each write must finish within the journal's call timeout.</param>
/// <param name="CompactAfterCheckpoint">Once a checkpoint's manifest is saved, delete the journal events
/// before its chunks and the older manifests (CHECKPOINTS.md), so the journal stays bounded.</param>
/// <param name="CheckpointJournalRatio">A checkpoint is also held back until the rounds journaled since
/// the last one hold at least this multiple of the state's size, so writing checkpoints costs at most
/// 1/ratio of writing rounds, however large the canister; 0 = every interval.</param>
/// <param name="BackgroundCheckpointBytes">A checkpoint of a state at least this large is built (merged,
/// sorted, copied into chunks, hashed) on a thread of its own while the actor persists the next rounds;
/// a smaller one is built between two rounds, where it costs less than the hand-off.</param>
public sealed record StableMemorySettings(
    int SnapshotIntervalRounds,
    int CheckpointChunkBytes,
    TimeSpan CheckpointLoadTimeout,
    string? JournalPluginId = null,
    string? SnapshotPluginId = null,
    bool CompactAfterCheckpoint = true,
    long CheckpointWriteBytes = StableMemorySettings.DefaultCheckpointWriteBytes,
    double CheckpointJournalRatio = 0,
    long BackgroundCheckpointBytes = StableMemorySettings.DefaultBackgroundCheckpointBytes)
{
    public const string ConfigPath = "actormigrate.persistence.stable-memory";

    /// <summary>8 MiB: a few hundred ms on SQLite, far inside the journal's 10 s call timeout.</summary>
    public const long DefaultCheckpointWriteBytes = 8 << 20;

    /// <summary>16 MiB: building such an image takes tens of milliseconds, tens of rounds.</summary>
    public const long DefaultBackgroundCheckpointBytes = 16 << 20;

    /// <summary>Reads <see cref="ConfigPath"/> from <paramref name="config"/> (an ActorSystem's settings, say).</summary>
    public static StableMemorySettings FromConfig(Config config)
    {
        var section = config.GetConfig(ConfigPath)
            ?? throw new ConfigurationException($"'{ConfigPath}' is missing; build the config with ActorMigratePersistence.Config(...)");
        var chunk = section.GetByteSize("checkpoint-chunk-size", null)
            ?? throw new ConfigurationException($"{ConfigPath}.checkpoint-chunk-size is missing");
        var settings = new StableMemorySettings(
            section.GetInt("snapshot-interval-rounds", 0),
            chunk is > 0 and <= int.MaxValue ? (int)chunk : throw new ConfigurationException(
                $"{ConfigPath}.checkpoint-chunk-size = {chunk} bytes; it must lie in 1 .. {int.MaxValue}"),
            section.GetTimeSpan("checkpoint-load-timeout", TimeSpan.FromSeconds(60)),
            NullIfEmpty(section.GetString("journal-plugin-id", "")),
            NullIfEmpty(section.GetString("snapshot-plugin-id", "")),
            section.GetBoolean("compact-after-checkpoint", true),
            section.GetByteSize("checkpoint-write-size", null) is { } write
                ? write > 0 ? write : throw new ConfigurationException($"{ConfigPath}.checkpoint-write-size = {write} bytes; it must be positive")
                : DefaultCheckpointWriteBytes,
            section.GetDouble("checkpoint-journal-ratio", 0) is var ratio && ratio >= 0 && double.IsFinite(ratio) ? ratio
                : throw new ConfigurationException($"{ConfigPath}.checkpoint-journal-ratio = {ratio}; it must be 0 (every interval) or a positive number"),
            section.GetByteSize("background-checkpoint-size", null) is { } background
                ? background >= 0 ? background : throw new ConfigurationException($"{ConfigPath}.background-checkpoint-size = {background} bytes; it must be 0 (always) or more")
                : DefaultBackgroundCheckpointBytes);
        return settings.SnapshotIntervalRounds >= 0
            ? settings
            : throw new ConfigurationException($"{ConfigPath}.snapshot-interval-rounds = {settings.SnapshotIntervalRounds}; it must be 0 (never) or more");
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
