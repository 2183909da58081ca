using ActorMigrate.Migration;

namespace ActorMigrate.Scenarios.Definition;

/// <summary>
/// One step of a scenario's script (scenario list <c>script</c>). Events run in order; traffic runs
/// in every round a wait lets pass. <see cref="Canister"/> names the canister an event acts on (null: every canister).
/// </summary>
public abstract record ScriptEvent(string? Canister)
{
    /// <summary>How the event reads in progress lines and the report.</summary>
    public abstract string Describe();
}

/// <summary>
/// install_code in upgrade mode to <paramref name="Module"/> (a downgrade when <paramref name="Downgrade"/>:
/// the module must be older than the installed one; to accounts-v1 the runner first asks v2 for v1's layout).
/// </summary>
/// <param name="Migration">v3's post_upgrade argument; null: the module's defaults.</param>
/// <param name="SkipPreUpgrade">The escape hatch: the old module's pre_upgrade does not run.</param>
/// <param name="PreUpgradeTraps">The new module is a release whose pre_upgrade always traps (a bug that blocks its next upgrade).</param>
/// <param name="ExpectTrap">The upgrade is expected to be rejected; the old module stays and the run goes on.</param>
public sealed record UpgradeEvent(
    string? Canister, string Module, bool Downgrade, MigrationSettings? Migration, bool SkipPreUpgrade, bool PreUpgradeTraps, bool ExpectTrap)
    : ScriptEvent(Canister)
{
    public override string Describe() =>
        $"{(Downgrade ? "downgrade" : "upgrade")} to {Module}{(SkipPreUpgrade ? " (skip_pre_upgrade)" : "")}" +
        $"{(PreUpgradeTraps ? " (a release whose pre_upgrade traps)" : "")}{(ExpectTrap ? ", expected to trap" : "")}";
}

/// <summary>v3's <c>start_migration</c>: a reverse migration (stable → heap, the in-binary rollback) or a forward one.</summary>
public sealed record StartMigrationEvent(string? Canister, MigrationDirection Direction, MigrationSettings Migration) : ScriptEvent(Canister)
{
    public override string Describe() => $"start_migration {(Direction == MigrationDirection.StableToHeap ? "stable → heap" : "heap → stable")}";
}

/// <summary>Takes a canister snapshot, or loads the latest one taken (module, heap and stable memory go back to it).</summary>
public sealed record SnapshotEvent(string? Canister, bool Load) : ScriptEvent(Canister)
{
    public override string Describe() => Load ? "load the latest snapshot" : "take a snapshot";
}

/// <summary>Lets <paramref name="Rounds"/> rounds of traffic pass.</summary>
public sealed record WaitRoundsEvent(string? Canister, int Rounds) : ScriptEvent(Canister)
{
    public override string Describe() => $"wait {Rounds} rounds";
}

/// <summary>Lets rounds of traffic pass until the subnet's round counter reaches <paramref name="Round"/>.</summary>
public sealed record WaitUntilRoundEvent(string? Canister, int Round) : ScriptEvent(Canister)
{
    public override string Describe() => $"wait until round {Round}";
}

/// <summary>Lets rounds pass until the migration is in <paramref name="Phase"/>; fails the run after <paramref name="MaxRounds"/>.</summary>
public sealed record WaitUntilPhaseEvent(string? Canister, MigrationPhase Phase, int MaxRounds) : ScriptEvent(Canister)
{
    public override string Describe() => $"wait until {Phase.ToString().ToLowerInvariant()} (at most {MaxRounds} rounds)";
}
