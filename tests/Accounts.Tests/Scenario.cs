using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;

namespace Accounts.Tests;

/// <summary>Helpers the scenarios share.</summary>
public static class Scenario
{
    public static MigrationSettings Heartbeat(int chunk = 20, RoutingPolicyKind policy = RoutingPolicyKind.DualWrite) =>
        new() { Sizing = StepSizing.Fixed(chunk), Triggers = MigrationTriggers.Heartbeat, Policy = policy };

    public static MigrationSettings StayPut { get; } = new() { StartOnUpgrade = false, Triggers = MigrationTriggers.None };

    public static MigrationState State(ICanisterHarness ic, Principal canister) => ic.Query<MigrationState>(canister, "migration_state");

    public static void TickUntil(ICanisterHarness ic, Principal canister, MigrationPhase phase, int maxRounds = 5_000)
    {
        for (var i = 0; i < maxRounds && State(ic, canister).Phase != phase; i++)
        {
            ic.Tick();
        }

        Assert.Equal(phase, State(ic, canister).Phase);
    }

    /// <summary>A v1 canister on the bare engine with <paramref name="calls"/> calls of traffic.</summary>
    public static (EngineHarness Ic, Principal Id, AccountTraffic Traffic) V1WithAccounts(int calls, int seed = 7, SubnetSettings? settings = null)
    {
        var ic = new EngineHarness(settings);
        var (_, id, traffic) = V1WithAccounts(ic, calls, seed);
        return (ic, id, traffic);
    }

    /// <summary>A v1 canister on <paramref name="ic"/> with <paramref name="calls"/> calls of traffic.</summary>
    public static (ICanisterHarness Ic, Principal Id, AccountTraffic Traffic) V1WithAccounts(ICanisterHarness ic, int calls, int seed = 7)
    {
        var id = ic.CreateAndInstall(new AccountsV1());
        var traffic = new AccountTraffic(seed);
        traffic.Run(ic, id, calls);
        return (ic, id, traffic);
    }
}
