using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Actor;
using Akka.Persistence.TestKit;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// Journal faults under a whole subnet (Akka.Persistence.TestKit's TestJournal): the round that could
/// not be made durable is not acknowledged, the caller gets a clear error, the canister shows nothing
/// of that round afterwards, and a recovered subnet is back at the last durable round.
/// </summary>
public sealed class SubnetJournalFaultTests() : Akka.TestKit.Xunit2.TestKit(TestKitJournal.Config)
{
    private ITestJournal Journal => TestKitJournal.Of(Sys);

    [Theory]
    [InlineData("fail")]
    [InlineData("reject")]
    public async Task A_round_the_journal_cannot_keep_is_not_acknowledged_and_nothing_of_it_is_visible(string fault)
    {
        var settings = SubnetActorSettings.FromConfig(Sys.Settings.Config);
        var modules = new ModuleRegistry(new LedgerModule());
        var ic = new ActorHarness(settings, Sys, "faulty", modules);
        var canister = ic.CreateAndInstall(new LedgerModule());
        Assert.Equal(5UL, ic.Update<ulong>(canister, "deposit", (7UL, 5UL)));

        await (fault == "fail" ? Journal.OnWrite.Fail() : Journal.OnWrite.Reject());
        var failed = ic.TryUpdate(canister, "deposit", (7UL, 100UL));

        Assert.NotNull(failed.Reject);
        Assert.Equal(ErrorCode.CanisterStopped, failed.Reject!.Code);
        Assert.Contains("could not be made durable", failed.Reject.Message);
        var query = ic.TryQuery(canister, "balance", 7UL);
        Assert.Equal(ErrorCode.CanisterStopped, query.Reject?.Code); // the undurable balance 105 is never shown

        await Journal.OnWrite.Pass();
        Watch(ic.Subnet);
        ic.Dispose();
        ExpectTerminated(ic.Subnet);
        var recovered = new ActorHarness(settings, Sys, "faulty", modules);
        Assert.Equal(5UL, recovered.Query<ulong>(canister, "balance", 7UL));
        Assert.Equal(12UL, recovered.Update<ulong>(canister, "deposit", (7UL, 7UL)));
    }

    [Fact]
    public async Task A_call_to_a_canister_stopped_by_a_journal_failure_is_rejected_to_its_caller_not_dropped()
    {
        var settings = SubnetActorSettings.FromConfig(Sys.Settings.Config);
        var ic = new ActorHarness(settings, Sys, "stopped-callee", new ModuleRegistry(new LedgerModule()));
        var caller = ic.CreateAndInstall(new LedgerModule());
        var callee = ic.CreateAndInstall(new LedgerModule());
        Assert.Null(ic.Stop(caller)); // a stopped caller runs no heartbeat, so only the callee writes while the journal fails
        ic.Tick(2);
        await Journal.OnWrite.Fail();
        Assert.Equal(ErrorCode.CanisterStopped, ic.TryUpdate(callee, "deposit", (7UL, 5UL)).Reject?.Code);
        await Journal.OnWrite.Pass();
        Assert.Null(ic.Start(caller));

        var forwarded = ic.TryUpdate(caller, "forward", (callee, 7UL, 5UL));

        Assert.Equal(nameof(ErrorCode.CanisterStopped), forwarded.Unwrap()); // the continuation ran with the reject
        Assert.Equal(1000UL, ic.Query<ulong>(caller, "balance", 7UL)); // and recorded its fee
        ic.Dispose();
    }
}
