using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class UpgradeTests
{
    [Fact]
    public void An_upgrade_runs_pre_upgrade_then_post_upgrade_on_a_fresh_heap_and_increments_the_version()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "inc");
        ic.Update<ulong>(id, "inc");
        ic.Update<bool>(id, "put", (5UL, 1000));
        var version = ic.Report(id).Version;

        ic.Upgrade(id, new CounterModule(2));

        Assert.Equal(2UL, ic.Query<ulong>(id, "get"));           // carried through stable memory
        Assert.DoesNotContain("items", ic.Subnet[id].Heap.ContainerNames); // the heap was discarded
        Assert.Equal(version + 1, ic.Report(id).Version);
        Assert.Equal("counter v2", ic.Report(id).Module);
    }

    [Fact]
    public void A_trap_in_pre_upgrade_leaves_the_old_module_heap_and_stable_memory_untouched()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<bool>(id, "put", (ulong.MaxValue, 10)); // makes pre_upgrade trap
        ic.Update<ulong>(id, "write_stable", (100UL, 50));
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule(2));

        Assert.Equal("IC0503: Canister called `ic0.trap` with message: 'pre_upgrade refused'", result.Reject!.ToString());
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void A_trap_in_post_upgrade_leaves_the_old_module_heap_and_stable_memory_untouched()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "inc");
        ic.Update<ulong>(id, "set_timer", 60_000L);
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule(2), "trap");

        Assert.Equal(ErrorCode.CanisterCalledTrap, result.Reject!.Code);
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
        Assert.Equal(1UL, ic.Update<ulong>(id, "inc") - 1); // the old module still serves
    }

    [Fact]
    public void Skip_pre_upgrade_gets_past_a_pre_upgrade_that_always_traps()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "write_stable", (0UL, 8)); // offset 0 now holds 0xAB… for post_upgrade to read
        ic.Update<bool>(id, "put", (ulong.MaxValue, 10));

        ic.Upgrade(id, new CounterModule(2), skipPreUpgrade: true);

        Assert.Equal(0xABABABABABABABABUL, ic.Query<ulong>(id, "get"));
    }

    [Fact]
    public void Pre_upgrade_and_post_upgrade_share_one_instruction_budget()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<bool>(id, "put_burn", 200_000_000_000L);
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule(2), 150_000_000_000L);

        Assert.Equal("IC0522: Canister exceeded the limit of 300000000000 instructions for single message execution.", result.Reject!.ToString());
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
        // The failed upgrade still used 300 B instructions: the rate limit holds the next one back
        // for 150 rounds at 2 B per round.
        Assert.Equal(ErrorCode.CanisterInstallCodeRateLimited, ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule(2)).Reject!.Code);
        ic.Tick(150);
        ic.Upgrade(id, new CounterModule(2), 90_000_000_000L); // 200 B + 90 B fits
    }

    [Fact]
    public void Every_install_clears_timers_and_the_global_timer()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "set_timer", 10L);
        Assert.Single(ic.Subnet[id].TimerTable);

        ic.Upgrade(id, new CounterModule(2));
        ic.AdvanceTime(TimeSpan.FromSeconds(1));
        ic.Tick();

        Assert.Empty(ic.Subnet[id].TimerTable);
        Assert.Equal(0UL, ic.Query<ulong>(id, "timer_fired"));
    }

    [Fact]
    public void A_non_controller_cannot_upgrade_stop_or_snapshot()
    {
        var (ic, id) = Fixture.Installed();
        var stranger = new Principal("stranger");
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule(2), sender: stranger);

        Assert.Equal(ErrorCode.CanisterInvalidController, result.Reject!.Code);
        Assert.StartsWith($"IC0512: Only the controllers of the canister {id} can control it.", result.Reject.ToString());
        Assert.Equal(ErrorCode.CanisterInvalidController, ic.Stop(id, stranger)!.Code);
        Assert.Throws<CanisterRejectException>(() => ic.TakeSnapshot(id, stranger));
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void Back_to_back_installs_are_rate_limited_until_the_instructions_are_recovered()
    {
        var (ic, id) = Fixture.Installed();
        ic.Upgrade(id, new CounterModule(2), 5_000_000_000L); // 5 B: recovered at 2 B per round

        // The harness ticks one round before the next install is delivered, so 3 B are still owed.
        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule(3));
        Assert.Equal(ErrorCode.CanisterInstallCodeRateLimited, result.Reject!.Code);
        Assert.StartsWith("IC0209:", result.Reject.ToString());

        ic.Tick(3);
        ic.Upgrade(id, new CounterModule(3));
    }

    [Fact]
    public void Reinstall_wipes_stable_memory_and_heap_and_runs_init()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "write_stable", (0UL, 100));
        ic.Update<ulong>(id, "inc");

        ic.Reinstall(id, new CounterModule(), 40UL);

        Assert.Equal(0UL, ic.Report(id).StableMemoryBytes);
        Assert.Equal(40UL, ic.Query<ulong>(id, "get"));
    }

    [Fact]
    public void Installing_over_an_installed_module_is_refused()
    {
        var (ic, id) = Fixture.Installed();

        var result = ic.TryInstallCode(id, InstallMode.Install, new CounterModule());

        Assert.Equal(ErrorCode.CanisterNonEmpty, result.Reject!.Code);
    }

    [Fact]
    public void A_module_that_keeps_state_in_its_own_fields_is_refused_at_install()
    {
        var ic = new EngineHarness();
        var id = ic.CreateCanister();

        var result = ic.TryInstallCode(id, InstallMode.Install, new StatefulModule());

        Assert.Equal(ErrorCode.CanisterContractViolation, result.Reject!.Code);
        Assert.Contains("field 'calls'", result.Reject.Message);
        ic.Install(id, new CounterModule()); // a stateless module is fine
    }
}
