using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class LimitTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void An_update_over_40_billion_instructions_traps_with_IC0522_and_changes_nothing()
    {
        var (ic, id) = Fixture.Installed();
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryUpdate(id, "burn", 40_000_000_001L);

        Assert.Equal("IC0522: Canister exceeded the limit of 40000000000 instructions for single message execution.", result.Reject!.ToString());
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void A_query_is_limited_to_5_billion_instructions()
    {
        var (ic, id) = Fixture.Installed();

        Assert.Equal(4_000_000_000L, ic.Query<long>(id, "burn_query", 4_000_000_000L));
        var result = ic.TryQuery(id, "burn_query", 5_000_000_000L);

        Assert.Equal("IC0522: Canister exceeded the limit of 5000000000 instructions for single message execution.", result.Reject!.ToString());
    }

    [Fact]
    public void Dirtying_more_stable_memory_than_the_limit_traps_with_IC0524()
    {
        var settings = new SubnetSettings { Limits = new ExecutionLimits { MaxDirtyStableBytesPerUpdate = 1 * MiB } };
        var (ic, id) = Fixture.Installed(settings: settings);
        var before = Fixture.Fingerprint(ic, id);

        var result = ic.TryUpdate(id, "write_stable", (0UL, (int)(2 * MiB)));

        Assert.Equal(ErrorCode.CanisterMemoryAccessLimitExceeded, result.Reject!.Code);
        Assert.Contains("limit: 1024 KB", result.Reject.Message);
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
        ic.Update<ulong>(id, "write_stable", (0UL, (int)MiB)); // exactly the limit is fine
    }

    [Fact]
    public void Stable_memory_access_out_of_bounds_traps_with_IC0502()
    {
        var (ic, id) = Fixture.Installed();

        var result = ic.TryQuery(id, "read_stable", 10UL);

        Assert.Equal("IC0502: Canister trapped: stable memory out of bounds", result.Reject!.ToString());
    }

    [Fact]
    public void Growing_the_heap_past_its_maximum_is_an_allocation_trap_IC0502()
    {
        var settings = new SubnetSettings { Limits = new ExecutionLimits { MaxHeapBytes = 10_000, DefaultWasmMemoryLimitBytes = 20_000 } };
        var (ic, id) = Fixture.Installed(settings: settings);

        var result = ic.TryUpdate(id, "put", (1UL, 20_000));

        Assert.Equal(ErrorCode.CanisterTrapped, result.Reject!.Code);
        Assert.Contains("memory allocation failed", result.Reject.Message);
    }

    [Fact]
    public void Wasm_memory_limit_traps_updates_with_IC0539_but_not_queries()
    {
        var settings = new SubnetSettings { Limits = new ExecutionLimits { DefaultWasmMemoryLimitBytes = 10_000 } };
        var (ic, id) = Fixture.Installed(settings: settings);

        var result = ic.TryUpdate(id, "put", (1UL, 20_000));

        Assert.Equal(ErrorCode.CanisterWasmMemoryLimitExceeded, result.Reject!.Code);
        Assert.StartsWith("IC0539: Canister exceeded its current Wasm memory limit of 10000 bytes.", result.Reject.ToString());
        // A query (like heartbeats, timers and pre_upgrade) is not held to wasm_memory_limit.
        Assert.True(ic.TryQuery(id, "inc_in_query").IsReply);
    }

    [Fact]
    public void The_heap_size_is_a_high_water_mark_that_removals_do_not_lower()
    {
        var (ic, id) = Fixture.Installed();
        var empty = ic.Report(id).HeapBytes;

        ic.Update<bool>(id, "put", (1UL, 10_000));
        var full = ic.Report(id).HeapBytes;
        ic.Update<bool>(id, "remove", 1UL);
        ic.Update<bool>(id, "put", (2UL, 5_000)); // reuses freed memory: no growth

        Assert.Equal(empty + 10_008, full);
        Assert.Equal(full, ic.Report(id).HeapBytes);
        Assert.Equal(5_008 + empty, ic.Subnet[id].Heap.LiveBytes);
    }

    [Fact]
    public void A_stopped_canister_rejects_calls_until_started()
    {
        var (ic, id) = Fixture.Installed();
        var version = ic.Report(id).Version;

        Assert.Null(ic.Stop(id));
        var result = ic.TryUpdate(id, "inc");

        Assert.Equal(ErrorCode.CanisterStopped, result.Reject!.Code);
        Assert.StartsWith("IC0508:", result.Reject.ToString());
        Assert.Equal(CanisterStatus.Stopped, ic.Report(id).Status);
        Assert.Null(ic.Start(id));
        Assert.Equal(1UL, ic.Update<ulong>(id, "inc"));
        Assert.Equal(version + 3, ic.Report(id).Version); // stop, start, inc
    }

    [Fact]
    public void A_canister_over_the_per_round_delta_is_held_back_until_the_next_round()
    {
        var settings = new SubnetSettings { Limits = new ExecutionLimits { MaxDeltaBytesPerRound = 64 * 1024 } };
        var (ic, id) = Fixture.Installed(settings: settings);
        var first = ic.Subnet.SubmitIngress(id, "write_stable", (0UL, 100_000), ic.Controller);
        var second = ic.Subnet.SubmitIngress(id, "inc", null, ic.Controller);

        ic.Tick();

        Assert.True(ic.Subnet.TryGetResult(first, out _));
        Assert.False(ic.Subnet.TryGetResult(second, out _));
        Assert.Equal(1, ic.Report(id).RoundsHeldBack);
        ic.Tick();
        Assert.True(ic.Subnet.TryGetResult(second, out var answer));
        Assert.Equal(1UL, answer.U64());
    }

    [Fact]
    public void A_long_update_runs_in_2_billion_instruction_slices_and_blocks_the_canister_meanwhile()
    {
        var (ic, id) = Fixture.Installed();
        var burn = ic.Subnet.SubmitIngress(id, "burn", 7_000_000_000L, ic.Controller);
        var inc = ic.Subnet.SubmitIngress(id, "inc", null, ic.Controller);

        ic.Tick(3);
        Assert.False(ic.Subnet.TryGetResult(burn, out _));
        Assert.False(ic.Subnet.TryGetResult(inc, out _));
        Assert.Equal(0UL, ic.Query<ulong>(id, "get"));
        ic.Tick();

        Assert.True(ic.Subnet.TryGetResult(burn, out _)); // 4 slices: 4 rounds
        Assert.Equal(3, ic.Report(id).RoundsBlocked);
        ic.Tick();
        Assert.True(ic.Subnet.TryGetResult(inc, out _));
    }

    [Fact]
    public void A_checkpoint_aborts_a_sliced_execution_which_then_restarts_from_the_beginning()
    {
        var (ic, id) = Fixture.Installed();
        var burn = ic.Subnet.SubmitIngress(id, "burn", 7_000_000_000L, ic.Controller);
        ic.Tick(2);

        ic.Subnet.Checkpoint();
        ic.Tick(3);
        Assert.False(ic.Subnet.TryGetResult(burn, out _));
        ic.Tick();

        Assert.True(ic.Subnet.TryGetResult(burn, out var result));
        Assert.Equal(7_000_000_000L, (long)result.Reply!);
        Assert.Equal(1, ic.Subnet[id].Metrics.SlicedExecutionsAborted);
    }
}
