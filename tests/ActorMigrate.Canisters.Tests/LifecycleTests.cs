using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public void Loading_a_snapshot_restores_module_heap_and_stable_memory_together()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "inc");
        ic.Update<ulong>(id, "write_stable", (10UL, 3));
        var snapshot = ic.TakeSnapshot(id);
        var taken = Fixture.Fingerprint(ic, id);

        ic.Upgrade(id, new CounterModule(2));
        ic.Update<ulong>(id, "inc");
        ic.Update<ulong>(id, "write_stable", (70_000UL, 3));
        Assert.Null(ic.LoadSnapshot(id, snapshot));

        // Everything but the version (which moves forward) is as when the snapshot was taken.
        var restored = Fixture.Fingerprint(ic, id).Split('|');
        var expected = taken.Split('|');
        Assert.Equal(expected.Where((_, i) => i != 5), restored.Where((_, i) => i != 5));
        Assert.Equal("counter v1", ic.Report(id).Module);
        Assert.Equal(1UL, ic.Query<ulong>(id, "get"));
    }

    [Fact]
    public void Uninstall_removes_module_heap_and_stable_memory()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "write_stable", (0UL, 10));

        Assert.Null(ic.Uninstall(id));

        Assert.Null(ic.Report(id).Module);
        Assert.Equal(0UL, ic.Report(id).StableMemoryBytes);
        Assert.Equal(ErrorCode.CanisterWasmModuleNotFound, ic.TryUpdate(id, "inc").Reject!.Code);
    }

    [Fact]
    public void Canister_version_counts_installs_status_changes_and_committed_updates_but_not_queries_or_traps()
    {
        var (ic, id) = Fixture.Installed();
        Assert.Equal(1UL, ic.Report(id).Version);

        ic.Update<ulong>(id, "inc");
        ic.Query<ulong>(id, "get");
        ic.TryUpdate(id, "inc_then_trap");
        ic.Upgrade(id, new CounterModule(2));

        Assert.Equal(3UL, ic.Report(id).Version);
    }

    [Fact]
    public void Stopping_a_canister_with_an_open_call_context_waits_until_it_closes()
    {
        var (ic, id) = Fixture.Installed();
        var steps = ic.Subnet.SubmitIngress(id, "run_steps", 2, ic.Controller);
        ic.Tick(); // run_steps has awaited its first self-call

        Assert.Null(ic.Stop(id));
        Assert.Equal(CanisterStatus.Stopping, ic.Report(id).Status);
        ic.Tick(6);

        Assert.Equal(CanisterStatus.Stopped, ic.Report(id).Status);
        Assert.True(ic.Subnet.TryGetResult(steps, out var result));
        Assert.Equal("reject,reject", result.Reply); // the self-calls met a stopping canister
    }
}
