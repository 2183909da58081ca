using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class MoreExecutionTests
{
    [Fact]
    public void On_low_wasm_memory_runs_once_when_free_heap_falls_below_the_threshold()
    {
        var (ic, id) = Fixture.Installed(new LowMemoryModule());
        Assert.Null(ic.Subnet.UpdateSettings(id, ic.Controller, wasmMemoryLimitBytes: 100_000, wasmMemoryThresholdBytes: 40_000));

        ic.Update<int>(id, "fill", 50_000);
        ic.Tick(2);
        Assert.Equal(0UL, ic.Query<ulong>(id, "hooks"));

        ic.Update<int>(id, "fill", 20_000); // free: under 30,000 < 40,000
        ic.Update<int>(id, "fill", 1_000);
        ic.Tick(3);

        Assert.Equal(1UL, ic.Query<ulong>(id, "hooks"));
        Assert.Single(ic.Executions(id), e => e.Kind == ExecutionKind.OnLowWasmMemory);
    }

    [Fact]
    public void A_trap_in_a_continuation_keeps_what_was_committed_before_the_await()
    {
        var (ic, id) = Fixture.Installed(new LowMemoryModule());

        var result = ic.TryUpdate(id, "mark_then_await", true);

        Assert.Equal("IC0503: Canister called `ic0.trap` with message: 'continuation refused'", result.Reject!.ToString());
        Assert.Equal(11UL, ic.Query<ulong>(id, "marks")); // +10 before the await, +1 by the call; the +100 is gone
        Assert.Equal(0, ic.Subnet[id].OpenCallContexts);
        Assert.Equal(112UL, ic.Update<ulong>(id, "mark_then_await", false) - 10);
    }

    [Fact]
    public void A_one_shot_timer_is_gone_once_fired()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "set_timer", 0L);
        ic.Tick();
        Assert.Equal(1UL, ic.Query<ulong>(id, "timer_fired"));
        Assert.Empty(ic.Subnet[id].TimerTable);
    }

    [Fact]
    public void An_interval_timer_fires_once_per_interval_each_time_as_its_own_execution()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "set_interval", 1_000L);

        ic.AdvanceTime(TimeSpan.FromSeconds(1));
        ic.Tick(3);
        Assert.Equal(1UL, ic.Query<ulong>(id, "timer_fired"));
        ic.AdvanceTime(TimeSpan.FromSeconds(1));
        ic.Tick();

        Assert.Equal(2UL, ic.Query<ulong>(id, "timer_fired"));
        Assert.Equal(2, ic.Executions(id).Count(e => e.Kind == ExecutionKind.Timer && e.Committed));
        Assert.Single(ic.Subnet[id].TimerTable);
    }

    [Fact]
    public void Wasm_memory_limit_does_not_apply_to_pre_upgrade_but_does_to_post_upgrade()
    {
        var settings = new SubnetSettings { Limits = new ExecutionLimits { DefaultWasmMemoryLimitBytes = 12_000 } };
        var (ic, id) = Fixture.Installed(settings: settings);
        ic.Update<bool>(id, "put", (1UL, 10_000));

        // pre_upgrade serializes nothing big but runs on the old 10 kB heap: allowed. post_upgrade's
        // fresh heap stays small: the upgrade succeeds.
        ic.Upgrade(id, new CounterModule(2));
        Assert.Equal("counter v2", ic.Report(id).Module);

        var before = Fixture.Fingerprint(ic, id);
        var reinstall = ic.TryInstallCode(id, InstallMode.Reinstall, new LowMemoryFillingInit());
        Assert.Equal(ErrorCode.CanisterWasmMemoryLimitExceeded, reinstall.Reject!.Code); // init is held to the limit
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void A_downgrade_is_an_upgrade_to_an_older_module()
    {
        var (ic, id) = Fixture.Installed(new CounterModule(2));
        ic.Update<ulong>(id, "inc");

        Assert.Throws<ArgumentException>(() => ic.Downgrade(id, new CounterModule(3)));
        ic.Downgrade(id, new CounterModule(1));

        Assert.Equal("counter v1", ic.Report(id).Module);
        Assert.Equal(1UL, ic.Query<ulong>(id, "get"));
    }

    [Fact]
    public void A_stopped_canister_runs_no_heartbeats_or_timers()
    {
        var (ic, id) = Fixture.Installed(new HeartbeatModule());
        ic.Stop(id);
        var version = ic.Report(id).Version;

        ic.Tick(5);

        Assert.Equal(version, ic.Report(id).Version);
        ic.Start(id);
        ic.Tick(2);
        Assert.Equal(version + 3, ic.Report(id).Version); // start + two heartbeats
    }

    [Fact]
    public void The_harness_reads_a_canisters_stable_memory_image()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "write_stable", (5UL, 3));

        var image = ic.StableMemoryImage(id);

        Assert.Equal(65_536, image.Length);
        Assert.Equal(new byte[] { 0, 0xAB, 0xAB, 0xAB, 0 }, image[4..9]);
    }

    /// <summary>An init that allocates more heap than the test's wasm_memory_limit.</summary>
    private sealed class LowMemoryFillingInit : CanisterModule
    {
        public override string Name => "filling-init";

        public override int Version => 1;

        public override void Init(Ic0 ic, object? arg) =>
            ic.Heap.Vector("v", StableMemory.Storable.Bytes).Push(new byte[20_000]);

        protected override void DeclareEndpoints(EndpointTable endpoints)
        {
        }
    }
}
