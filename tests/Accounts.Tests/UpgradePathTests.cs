using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;
using static Accounts.Tests.Scenario;

namespace Accounts.Tests;

/// <summary>The guide's step 1 and every arrow v1 ↔ v2 ↔ v3, with traffic before, during and after.</summary>
public sealed class UpgradePathTests : Harnesses
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Upgrade_v1_to_v2_to_v3_migrates_every_account_with_traffic_before_during_and_after(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 300);
        ic.Upgrade(id, new AccountsV2());
        traffic.AssertSame(ic, id);
        traffic.Run(ic, id, 50);

        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 7));
        Assert.Equal(MigrationPhase.Migrating, State(ic, id).Phase);
        traffic.Run(ic, id, 40); // each call ticks rounds, so heartbeats step in between
        traffic.AssertSame(ic, id);
        TickUntil(ic, id, MigrationPhase.Completed);
        traffic.Run(ic, id, 40);

        traffic.AssertSame(ic, id);
        var state = State(ic, id);
        Assert.Equal(SchemaLabel.Stable, state.Authoritative);
        Assert.Equal(state.LogicalDigest, state.TargetDigest);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Downgrade_v3_to_v2_part_way_through_the_migration_and_back_up_loses_no_account(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 300);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 5));
        traffic.Run(ic, id, 20);
        var state = State(ic, id);
        Assert.Equal(MigrationPhase.Migrating, state.Phase);
        Assert.True(state.MigratedCount > 0);

        ic.Downgrade(id, new AccountsV2());
        traffic.AssertSame(ic, id);
        traffic.Run(ic, id, 30);
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 50));
        traffic.Run(ic, id, 10);
        TickUntil(ic, id, MigrationPhase.Completed);

        traffic.AssertSame(ic, id);
    }

    [Fact]
    public void On_a_durable_SQLite_subnet_a_downgrade_part_way_through_the_migration_and_back_up_loses_no_account() =>
        Downgrade_v3_to_v2_part_way_through_the_migration_and_back_up_loses_no_account(ActorsOnSqlite);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Downgrade_v3_to_v2_after_the_migration_completed_reads_the_stable_map(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 200);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 100));
        TickUntil(ic, id, MigrationPhase.Completed);
        traffic.Run(ic, id, 30);

        ic.Downgrade(id, new AccountsV2());
        traffic.AssertSame(ic, id);
        traffic.Run(ic, id, 30);
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 100));
        TickUntil(ic, id, MigrationPhase.Completed);

        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reverse_migration_then_downgrade_to_v2_and_v1_and_back_up_loses_no_account(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 250);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 100));
        TickUntil(ic, id, MigrationPhase.Completed);
        traffic.Run(ic, id, 20);

        ic.Update<MigrationState>(id, "start_migration", (MigrationDirection.StableToHeap, Heartbeat(chunk: 9)));
        traffic.Run(ic, id, 30); // dual writes during the reverse migration
        TickUntil(ic, id, MigrationPhase.Completed);
        Assert.Equal(SchemaLabel.Heap, State(ic, id).Authoritative);
        traffic.Run(ic, id, 20);

        ic.Downgrade(id, new AccountsV2());
        traffic.AssertSame(ic, id);
        ic.Update<uint>(id, "set_upgrade_format", 1u);
        ic.Downgrade(id, new AccountsV1());
        traffic.AssertSame(ic, id);
        traffic.Run(ic, id, 20);
        ic.Upgrade(id, new AccountsV2());
        traffic.AssertSame(ic, id);
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 100));
        TickUntil(ic, id, MigrationPhase.Completed);

        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Downgrade_v3_to_v2_part_way_through_a_reverse_migration_keeps_every_account(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 200);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 100));
        TickUntil(ic, id, MigrationPhase.Completed);
        ic.Update<MigrationState>(id, "start_migration", (MigrationDirection.StableToHeap, Heartbeat(chunk: 3)));
        traffic.Run(ic, id, 15);
        Assert.Equal(MigrationPhase.Migrating, State(ic, id).Phase);

        ic.Downgrade(id, new AccountsV2());

        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_upgrade_part_way_resumes_and_the_pointer_never_moves_backwards(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 300);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 4));
        byte[]? last = null;
        var epoch = State(ic, id).Epoch;
        for (var i = 0; i < 6; i++)
        {
            traffic.Run(ic, id, 5);
            var before = State(ic, id);
            ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 4));
            var after = State(ic, id);
            Assert.Equal(epoch, after.Epoch);
            Assert.NotNull(after.Pointer);
            Assert.True(before.Pointer is null || ((ReadOnlySpan<byte>)after.Pointer).SequenceCompareTo(before.Pointer) >= 0, "the upgrade moved the pointer backwards");
            Assert.True(last is null || ((ReadOnlySpan<byte>)after.Pointer).SequenceCompareTo(last) >= 0, "the pointer moved backwards between upgrades");
            last = after.Pointer;
        }

        TickUntil(ic, id, MigrationPhase.Completed);
        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Pointer_routed_migration_moves_every_account_with_traffic_during(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 200);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 6, RoutingPolicyKind.PointerRouted));
        traffic.Run(ic, id, 40);
        traffic.AssertSame(ic, id);
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 6, RoutingPolicyKind.PointerRouted));
        traffic.AssertSame(ic, id);
        TickUntil(ic, id, MigrationPhase.Completed);

        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Downgrade_v3_to_v2_part_way_through_a_pointer_routed_migration_reads_both_halves(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 200);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 6, RoutingPolicyKind.PointerRouted));
        traffic.Run(ic, id, 20);
        Assert.Equal(MigrationPhase.Migrating, State(ic, id).Phase);

        ic.Downgrade(id, new AccountsV2());
        traffic.AssertSame(ic, id);
        traffic.Run(ic, id, 20);
        ic.Upgrade(id, new AccountsV3(), Heartbeat(chunk: 50, RoutingPolicyKind.PointerRouted));
        TickUntil(ic, id, MigrationPhase.Completed);

        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Atomic_migration_in_post_upgrade_completes_when_it_fits(string harness)
    {
        var (ic, id, traffic) = V1WithAccounts(harness, 200);
        ic.Upgrade(id, new AccountsV2());

        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Atomic = AtomicMode.WhenItFitsElseFailUpgrade, Triggers = MigrationTriggers.None });

        Assert.Equal(MigrationPhase.Completed, State(ic, id).Phase);
        traffic.AssertSame(ic, id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_atomic_migration_that_does_not_fit_fails_the_upgrade_and_leaves_v2_running(string harness)
    {
        var settings = new ActorMigrate.Canisters.SubnetSettings { Limits = new() { MaxInstructionsPerInstallCode = 60_000_000 } };
        var (ic, id, traffic) = V1WithAccounts(harness, 1_500, settings: settings);
        ic.Upgrade(id, new AccountsV2());

        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new AccountsV3(), new MigrationSettings { Atomic = AtomicMode.WhenItFitsElseFailUpgrade });

        Assert.Contains("does not fit", result.Reject!.Message);
        Assert.Equal(2, ic.Report(id).ModuleVersion);
        traffic.AssertSame(ic, id);
    }
}
