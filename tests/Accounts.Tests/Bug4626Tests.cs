using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;
using static Accounts.Tests.Scenario;

namespace Accounts.Tests;

/// <summary>
/// The NNS dapp's bug #4626 (dfinity/nns-dapp#4626), reproduced with its real triggers: an upgrade part
/// way through the forward migration (as the NNS dapp hit it: its migration test run twice), and an
/// upgrade after a reverse migration. The broken v3 loses writes; the fixed v3 passes the same script.
/// </summary>
public sealed class Bug4626Tests : Harnesses
{
    /// <summary>
    /// v1 → v2 → <paramref name="v3"/>, whose post_upgrade starts the heap → stable migration; traffic while
    /// it is part way; then the same release is upgraded again (a second proposal) before it completes.
    /// </summary>
    private (AccountTraffic Traffic, ICanisterHarness Ic, Principal Id) UpgradePartWayThroughTheForwardMigration(string harness, Func<AccountsV3> v3)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 250);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, v3(), Heartbeat(chunk: 3));
        traffic.Run(ic, id, 15); // each call is a round: heartbeats step 3 accounts at a time in between
        var state = State(ic, id);
        Assert.Equal(MigrationPhase.Migrating, state.Phase);
        Assert.InRange(state.MigratedCount, 1UL, state.SourceCountAtStart - 1);

        ic.Upgrade(id, v3(), Heartbeat(chunk: 3));
        return (traffic, ic, id);
    }

    /// <summary>A completed heap → stable migration, a reverse migration to the heap, traffic after its switch, then an upgrade.</summary>
    private (AccountTraffic Traffic, ICanisterHarness Ic, Principal Id) ReverseMigrateThenUpgrade(string harness, AccountsV3 v3)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 150);
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

    private static int Lost(AccountTraffic traffic, ICanisterHarness ic, Principal id)
    {
        var actual = ic.Query<List<Account>>(id, "all_accounts").ToDictionary(a => a.Principal);
        return traffic.Model.Count(e => !actual.TryGetValue(e.Key, out var a) || !a.SameAs(e.Value));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void With_bug_4626_an_upgrade_part_way_through_the_forward_migration_loses_the_accounts_above_the_pointer(string harness)
    {
        var (traffic, ic, id) = UpgradePartWayThroughTheForwardMigration(harness, () => new AccountsV3Bug4626());

        var lost = Lost(traffic, ic, id);
        Assert.True(lost > 0, "the broken v3 kept every account: the bug did not reproduce");
        Assert.Equal(SchemaLabel.Stable, State(ic, id).Authoritative); // it believes the half-filled stable map
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_fixed_v3_keeps_every_account_through_an_upgrade_part_way_through_the_forward_migration(string harness)
    {
        var (traffic, ic, id) = UpgradePartWayThroughTheForwardMigration(harness, () => new AccountsV3());

        traffic.AssertSame(ic, id);
        traffic.Run(ic, id, 15);
        TickUntil(ic, id, MigrationPhase.Completed);
        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void With_bug_4626_an_upgrade_after_a_reverse_migration_loses_the_writes_made_since_the_switch(string harness)
    {
        var (traffic, ic, id) = ReverseMigrateThenUpgrade(harness, new AccountsV3Bug4626());

        Assert.True(Lost(traffic, ic, id) > 0, "the broken v3 kept every write: the bug did not reproduce");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_fixed_v3_keeps_every_write_through_an_upgrade_after_a_reverse_migration(string harness)
    {
        var (traffic, ic, id) = ReverseMigrateThenUpgrade(harness, new AccountsV3());

        traffic.AssertSame(ic, id);
    }
}
