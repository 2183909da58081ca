using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;
using static Accounts.Tests.Scenario;

namespace Accounts.Tests;

/// <summary>The NNS dapp's bug #4626, reproduced with its real trigger: an upgrade after a reverse migration.</summary>
public sealed class Bug4626Tests
{
    /// <summary>Runs the trigger on <paramref name="v3"/>; returns the traffic model and the canister's accounts afterwards.</summary>
    private static (AccountTraffic Traffic, EngineHarness Ic, Principal Id) ReverseMigrateThenUpgrade(AccountsV3 v3)
    {
        var (ic, id, traffic) = V1WithAccounts(150);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 100));
        TickUntil(ic, id, MigrationPhase.Completed);
        ic.Upgrade(id, v3, StayPut); // the release under test boots with its accounts in stable memory: label "STBL"
        ic.Update<MigrationState>(id, "start_migration", (MigrationDirection.StableToHeap, Heartbeat(chunk: 100)));
        TickUntil(ic, id, MigrationPhase.Completed);
        traffic.Run(ic, id, 40); // writes after the switch go to the heap only

        ic.Upgrade(id, v3, StayPut);
        return (traffic, ic, id);
    }

    [Fact]
    public void With_bug_4626_an_upgrade_after_a_reverse_migration_loses_the_writes_made_since_the_switch()
    {
        var (traffic, ic, id) = ReverseMigrateThenUpgrade(new AccountsV3Bug4626());

        var actual = ic.Query<List<Account>>(id, "all_accounts").ToDictionary(a => a.Principal);
        var lost = traffic.Model.Count(e => !actual.TryGetValue(e.Key, out var a) || !a.SameAs(e.Value));
        Assert.True(lost > 0, "the broken v3 kept every write: the bug did not reproduce");
    }

    [Fact]
    public void The_fixed_v3_keeps_every_write_through_the_same_trigger()
    {
        var (traffic, ic, id) = ReverseMigrateThenUpgrade(new AccountsV3());

        traffic.AssertSame(ic, id);
    }
}
