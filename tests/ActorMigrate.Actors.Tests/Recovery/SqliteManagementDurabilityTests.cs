using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Actors.Tests.Durability;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// A management operation's write between rounds (flag bit 3, sharing its round's number) on a real
/// SQLite file: written by one ActorSystem right after a round, read back by the next.
/// </summary>
public sealed class SqliteManagementDurabilityTests
{
    [Fact]
    public async Task A_stop_right_after_a_round_is_read_back_from_the_SQLite_journal_by_the_next_process()
    {
        using var database = new TempDatabase();
        Principal canister;
        await using (var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path)))
        {
            var ic = Harness(node);
            canister = ic.CreateAndInstall(new LedgerModule());
            Assert.Equal(5UL, ic.Update<ulong>(canister, "deposit", (7UL, 5UL)));
            Assert.Null(ic.Stop(canister)); // journaled with the deposit's round number
        }

        await using var next = DurableNode.Start(PersistenceJournal.Sqlite(database.Path));
        var recovered = Harness(next);
        Assert.Equal(CanisterStatus.Stopped, recovered.Report(canister).Status);
        Assert.Null(recovered.Start(canister));
        Assert.Equal(5UL, recovered.Query<ulong>(canister, "balance", 7UL));
    }

    private static ActorHarness Harness(DurableNode node) =>
        new(SubnetActorSettings.FromConfig(node.System.Settings.Config), node.System, "sqlite-managed", new ModuleRegistry(new LedgerModule()));
}
