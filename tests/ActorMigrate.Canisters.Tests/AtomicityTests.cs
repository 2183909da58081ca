using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class AtomicityTests
{
    [Fact]
    public void A_trap_in_an_update_discards_heap_stable_memory_timers_calls_and_version()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "inc");
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryUpdate(id, "inc_then_trap");

        Assert.Equal(ErrorCode.CanisterCalledTrap, result.Reject!.Code);
        Assert.Equal("IC0503: Canister called `ic0.trap` with message: 'changed my mind'", result.Reject.ToString());
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
        ic.Tick(3);
        Assert.Equal(1UL, ic.Query<ulong>(id, "get")); // the notify to "inc" was never sent
    }

    [Fact]
    public void A_caught_trap_still_traps_and_every_later_system_call_raises_it_again()
    {
        var (ic, id) = Fixture.Installed();
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryUpdate(id, "swallow_trap");

        Assert.Equal("IC0503: Canister called `ic0.trap` with message: 'caught?'", result.Reject!.ToString());
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void A_query_never_commits_even_when_it_changes_the_heap()
    {
        var (ic, id) = Fixture.Installed();
        var before = Fixture.Fingerprint(ic, id);

        Assert.Equal(1UL, ic.Query<ulong>(id, "inc_in_query"));

        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void A_trap_in_a_timer_discards_its_changes_and_keeps_the_rest_of_the_round()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "set_trapping_timer", 10L);
        ic.Update<ulong>(id, "set_timer", 10L);
        ic.AdvanceTime(TimeSpan.FromSeconds(1));
        var version = ic.Report(id).Version;

        ic.Tick();

        Assert.Equal(1UL, ic.Query<ulong>(id, "timer_fired")); // the trapping timer's 100 is gone
        Assert.Equal(version + 1, ic.Report(id).Version);    // only the good timer counts
        Assert.Empty(ic.Subnet[id].TimerTable);
    }

    [Fact]
    public void A_trap_in_a_heartbeat_discards_its_changes()
    {
        var (ic, id) = Fixture.Installed(new HeartbeatModule());
        ic.Update<bool>(id, "trap_heartbeats", true);
        var version = ic.Report(id).Version;
        var beats = ic.Query<ulong>(id, "beats");

        ic.Tick(3);

        Assert.Equal(beats, ic.Query<ulong>(id, "beats"));
        Assert.Equal(0UL, ic.Report(id).StableMemoryBytes);
        Assert.Equal(version, ic.Report(id).Version);
        Assert.Equal(3, ic.Executions(id).Count(e => e.Kind == ExecutionKind.Heartbeat && !e.Committed && e.Round > ic.Round - 3));
    }

    [Fact]
    public void A_trap_in_init_leaves_the_canister_empty()
    {
        var ic = new EngineHarness();
        var id = ic.CreateCanister();

        var result = ic.TryInstallCode(id, InstallMode.Install, new CounterModule(), "trap");

        Assert.Equal("IC0503: Canister called `ic0.trap` with message: 'init refused'", result.Reject!.ToString());
        Assert.Null(ic.Subnet[id].Module);
        Assert.Equal(0UL, ic.Report(id).Version);
        Assert.Empty(ic.Subnet[id].Heap.ContainerNames);
    }

    [Fact]
    public void A_trapping_step_inside_a_self_call_rolls_back_only_that_step()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<bool>(id, "put", (2002UL, 1)); // makes step 2 trap

        var result = ic.Update<string>(id, "run_steps", 3);

        // Step 1 committed; step 2 trapped and was rolled back (its counter increment too), so the
        // third call ran as "step 2" again and failed the same way.
        Assert.Equal("1,reject,reject", result);
        Assert.Equal(1UL, ic.Query<ulong>(id, "steps"));
        Assert.True(ic.Subnet[id].Heap.Map("items", StableMemory.Storable.U64, StableMemory.Storable.Bytes).Peek().ContainsKey(1001));
        Assert.False(ic.Subnet[id].Heap.Map("items", StableMemory.Storable.U64, StableMemory.Storable.Bytes).Peek().ContainsKey(1002));
    }

    [Fact]
    public void A_step_endpoint_restricted_to_the_canister_itself_rejects_other_callers()
    {
        var (ic, id) = Fixture.Installed();

        var result = ic.TryUpdate(id, "step");

        Assert.Equal("IC0503: Canister called `ic0.trap` with message: 'step accepts only the canister itself'", result.Reject!.ToString());
    }
}
