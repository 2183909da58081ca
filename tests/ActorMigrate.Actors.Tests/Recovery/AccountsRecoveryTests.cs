using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// The accounts example on a durable subnet: a timer-driven v3 migration stopped part way (accounts on
/// the heap and in the stable map at once, its step timer armed by post_upgrade with a static method
/// group) comes back with heap, stable map and timer, and its timer finishes the migration.
/// </summary>
public sealed class AccountsRecoveryTests() : Akka.TestKit.Xunit2.TestKit(ActorMigratePersistence.Config(PersistenceJournal.InMemory))
{
    private static readonly ModuleRegistry Modules = new(new AccountsV1(), new AccountsV2(), new AccountsV3());

    private static List<string> Accounts(ICanisterHarness ic, Principal id) =>
        [.. ic.Query<List<Account>>(id, "all_accounts").Select(a => Convert.ToHexString(AccountCodec.Instance.ToBytes(a))).Order()];

    private static MigrationState State(ICanisterHarness ic, Principal id) => ic.Query<MigrationState>(id, "migration_state");

    [Fact]
    public void A_timer_driven_migration_stopped_part_way_resumes_after_recovery_and_completes_with_every_account()
    {
        var settings = CheckpointingSubnet.Every(Sys.Settings.Config, rounds: 3);
        var ic = new ActorHarness(settings, Sys, "accounts", Modules);
        var id = ic.CreateAndInstall(new AccountsV1());
        var random = new Random(11);
        for (var i = 0; i < 60; i++)
        {
            ic.Update<bool>(id, "put_account", AccountGenerator.NewAccount(random, AccountGenerator.Principal(random)));
        }

        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.Timer, Sizing = StepSizing.Fixed(10), TimerInterval = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 2; i++)
        {
            ic.AdvanceTime(TimeSpan.FromSeconds(1));
            ic.Tick();
        }

        var accounts = Accounts(ic, id);
        var before = State(ic, id);
        var fingerprint = ic.Read(s => ModuleStateRecoveryTests.Fingerprint(s, id));
        Assert.Equal(MigrationPhase.Migrating, before.Phase);
        Assert.InRange(before.MigratedCount, 1UL, (ulong)accounts.Count - 1);
        Watch(ic.Subnet);
        ic.Dispose();
        ExpectTerminated(ic.Subnet);

        using var recovered = new ActorHarness(settings, Sys, "accounts", Modules);
        Assert.Equal(fingerprint, recovered.Read(s => ModuleStateRecoveryTests.Fingerprint(s, id)));
        Assert.Equal(before.MigratedCount, State(recovered, id).MigratedCount);
        Assert.Equal(accounts, Accounts(recovered, id));
        for (var i = 0; i < 30 && State(recovered, id).Phase == MigrationPhase.Migrating; i++)
        {
            recovered.AdvanceTime(TimeSpan.FromSeconds(1));
            recovered.Tick();
        }

        Assert.Equal(MigrationPhase.Completed, State(recovered, id).Phase);
        Assert.Equal(accounts, Accounts(recovered, id));
    }
}
