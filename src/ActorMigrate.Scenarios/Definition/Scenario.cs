using ActorMigrate.Canisters;

namespace ActorMigrate.Scenarios.Definition;

/// <summary>
/// A rehearsal of a migration: which canisters run which module, how much data they hold, the traffic
/// they serve every round, and the script of upgrades, downgrades, snapshots and waits. Loaded from a
/// HOCON file by <see cref="Loading.ScenarioLoader"/>; every key is documented in docs/run.md.
/// </summary>
/// <param name="Source">Where the scenario came from (a file path, or "embedded flagship"), for messages.</param>
/// <param name="Text">The HOCON text itself: a run folder keeps a copy so that --resume reads the same scenario.</param>
/// <param name="Subnet">The engine's settings: hocon's <c>actormigrate.canisters</c> with the scenario's <c>subnet</c> overrides.</param>
/// <param name="RoundDuration">Virtual time per round (the IC makes about one round a second); timers fire by it.</param>
public sealed record Scenario(
    string Name,
    string Description,
    string Source,
    string Text,
    int Seed,
    ScenarioJournal Journal,
    IReadOnlyList<CanisterDefinition> Canisters,
    DataShape Data,
    TrafficMix Traffic,
    IReadOnlyList<ScriptEvent> Script,
    SubnetSettings Subnet,
    TimeSpan RoundDuration);
