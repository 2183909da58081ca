using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Actor;
using Akka.Persistence.TestKit;
using Akka.TestKit;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// A management operation (stop, start, uninstall, snapshot load) runs between rounds, and its caller is
/// answered only once the change is in the canister's journal: a crash right after the answer, before
/// the canister runs another round, keeps it. (The fuzzer found the gap: `stop; crash` brought a canister
/// back running, with its canister_version gone back.)
/// </summary>
public sealed class ManagementDurabilityTests() : Akka.TestKit.Xunit2.TestKit(TestKitJournal.Config)
{
    private static readonly ModuleRegistry Modules = new(new LedgerModule());

    [Fact]
    public void A_stop_answered_just_before_a_crash_is_still_in_force_after_recovery()
    {
        var (ic, canister) = Ledger("stop");
        var version = ic.Report(canister).Version;

        Assert.Null(ic.Stop(canister));
        var recovered = Crash(ic, "stop");

        Assert.Equal(CanisterStatus.Stopped, recovered.Report(canister).Status);
        Assert.Equal(version + 1, recovered.Report(canister).Version);
        Assert.Null(recovered.Start(canister));
        Assert.Equal(CanisterStatus.Running, Crash(recovered, "stop").Report(canister).Status);
    }

    [Fact]
    public void An_uninstall_answered_just_before_a_crash_leaves_no_module_after_recovery()
    {
        var (ic, canister) = Ledger("uninstall");
        Assert.Null(ic.Uninstall(canister));

        var recovered = Crash(ic, "uninstall");

        Assert.Null(recovered.Report(canister).Module);
        Assert.Equal(ErrorCode.CanisterWasmModuleNotFound, recovered.TryQuery(canister, "balance", 7UL).Reject?.Code);
    }

    [Fact]
    public void A_snapshot_load_answered_just_before_a_crash_keeps_the_loaded_heap_and_stable_memory()
    {
        var (ic, canister) = Ledger("snapshot");
        ic.Update<ulong>(canister, "deposit", (7UL, 5UL));
        var snapshot = ic.TakeSnapshot(canister);
        ic.Update<ulong>(canister, "deposit", (7UL, 7UL));

        Assert.Null(ic.LoadSnapshot(canister, snapshot));
        var recovered = Crash(ic, "snapshot");

        Assert.Equal(5UL, recovered.Query<ulong>(canister, "balance", 7UL));
    }

    [Fact]
    public void A_stop_written_after_the_checkpoint_of_its_round_is_recovered_after_that_checkpoint()
    {
        var settings = CheckpointingSubnet.Every(Sys.Settings.Config, 1);
        var ic = new ActorHarness(settings, Sys, "checkpointed", Modules);
        var canister = ic.CreateAndInstall(new LedgerModule());
        Assert.Equal(5UL, ic.Update<ulong>(canister, "deposit", (7UL, 5UL))); // its round is checkpointed

        Assert.Null(ic.Stop(canister)); // journaled after the chunks, with the checkpointed round's number
        var recovered = Crash(ic, "checkpointed", settings);

        Assert.Equal(CanisterStatus.Stopped, recovered.Report(canister).Status);
        Assert.Null(recovered.Start(canister));
        Assert.Equal(5UL, recovered.Query<ulong>(canister, "balance", 7UL));
    }

    [Fact]
    public void A_stop_sent_during_a_sliced_upgrade_waits_for_it_and_both_are_answered_and_kept()
    {
        var (ic, canister) = Ledger("sliced");
        var caller = CreateTestProbe();
        ic.Subnet.Tell(new InstallCode(canister, InstallMode.Upgrade, new LedgerModule(2), 100_000_000_000L, ic.Controller), caller); // 50 slices
        // Polled without a pause: the 50 slices last a few rounds, and TestKit would otherwise sleep a tenth of the timeout between checks.
        AwaitCondition(() => ic.Read(s => s[canister].IsBlockedBySlicedExecution), ic.Timeout, TimeSpan.Zero, "the upgrade never started");

        ic.Subnet.Tell(new Manage(canister, ManagementOperation.Stop, ic.Controller), caller);

        Assert.Null(caller.ExpectMsg<CallResult>().Reject); // the upgrade finished first, through the canister actor
        Assert.Null(caller.ExpectMsg<Managed>().Error);
        var recovered = Crash(ic, "sliced");
        Assert.Equal((2, CanisterStatus.Stopped), (recovered.Report(canister).ModuleVersion, recovered.Report(canister).Status));
    }

    [Fact]
    public async Task A_management_answer_waits_for_its_journal_write_and_the_next_round_follows_it()
    {
        var (ic, canister, gate, caller) = await StopWithWritesHeld("held");

        caller.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        gate.Open();
        Assert.Null(caller.ExpectMsg<Managed>().Error);
        await TestKitJournal.Of(Sys).OnWrite.Pass();
        Assert.Null(ic.Start(canister));
        Assert.Equal(3UL, ic.Update<ulong>(canister, "deposit", (7UL, 3UL))); // the round after both writes is accepted by the journal
        Assert.Equal(3UL, Crash(ic, "held").Query<ulong>(canister, "balance", 7UL));
    }

    [Fact]
    public async Task A_management_operation_whose_write_fails_is_answered_with_IC0508_and_the_canister_refuses_what_follows()
    {
        var (ic, canister, gate, caller) = await StopWithWritesHeld("failing");
        gate.Fail();

        var answer = caller.ExpectMsg<Managed>();
        Assert.Equal(ErrorCode.CanisterStopped, answer.Error?.Code);
        Assert.Contains("could not be made durable", answer.Error!.Message);
        Assert.Equal(ErrorCode.CanisterStopped, ic.TryQuery(canister, "balance", 7UL).Reject?.Code);
        await TestKitJournal.Of(Sys).OnWrite.Pass();
        Assert.Equal(CanisterStatus.Running, Crash(ic, "failing").Report(canister).Status); // the stop never happened
    }

    private (ActorHarness Ic, Principal Canister) Ledger(string name)
    {
        var ic = new ActorHarness(SubnetActorSettings.FromConfig(Sys.Settings.Config), Sys, name, Modules);
        return (ic, ic.CreateAndInstall(new LedgerModule()));
    }

    /// <summary>A ledger whose journal holds every write from now on, and a stop of it sent by <c>Caller</c>.</summary>
    private async Task<(ActorHarness Ic, Principal Canister, JournalGate Gate, TestProbe Caller)> StopWithWritesHeld(string name)
    {
        var (ic, canister) = Ledger(name);
        var gate = await JournalGate.HoldWrites(TestKitJournal.Of(Sys));
        var caller = CreateTestProbe();
        ic.Subnet.Tell(new Manage(canister, ManagementOperation.Stop, ic.Controller), caller);
        return (ic, canister, gate, caller);
    }

    /// <summary>Stops the subnet (every canister with it) and starts a new one under the same name, recovering from the journal.</summary>
    private ActorHarness Crash(ActorHarness ic, string name, SubnetActorSettings? settings = null)
    {
        Watch(ic.Subnet);
        ic.Dispose();
        ExpectTerminated(ic.Subnet);
        return new ActorHarness(settings ?? SubnetActorSettings.FromConfig(Sys.Settings.Config), Sys, name, Modules);
    }
}
