using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>A module arming timers three recoverable ways and one way that is not.</summary>
public sealed class TimerKindsModule : CanisterModule
{
    public override string Name => "timer-kinds";

    public override int Version => 1;

    public static HeapCell<ulong> Fired(Ic0 ic) => ic.Heap.Cell("fired", Storable.U64, 0UL);

    private static void Static(Ic0 ic) => Fired(ic).Set(Fired(ic).Get() + 1);

    private Outcome OfTheModule(Ic0 ic)
    {
        Fired(ic).Set(Fired(ic).Get() + 10);
        return Outcome.Done;
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<string, ulong>("arm", (ic, how) => how switch
        {
            "static" => ic.SetTimer(TimeSpan.FromSeconds(1), Static),
            "module" => ic.SetTimer(TimeSpan.FromSeconds(1), OfTheModule),
            "lambda" => ic.SetTimerInterval(TimeSpan.FromSeconds(1), t => Fired(t).Set(Fired(t).Get() + 100)),
            _ => ic.SetTimer(TimeSpan.FromSeconds(1), t => Fired(t).Set(Fired(t).Get() + (ulong)how.Length)),
        });
}

public sealed class RecoverableTimerTests
{
    [Fact]
    public void On_a_durable_canister_a_timer_closure_that_captured_state_traps_at_SetTimer_and_names_what_it_captured()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new TimerKindsModule());
        ic.Subnet[id].RequireRecoverableCallbacks();

        var refused = ic.TryUpdate(id, "arm", "capturing");

        Assert.Equal(ErrorCode.CanisterContractViolation, refused.Reject?.Code);
        Assert.Contains("captured how", refused.Reject!.Message);
        Assert.Empty(ic.Subnet[id].TimerTable);
    }

    [Fact]
    public void Static_module_and_capture_free_lambda_timers_bound_again_from_their_references_fire_like_the_originals()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new TimerKindsModule());
        ic.Subnet[id].RequireRecoverableCallbacks();
        foreach (var how in new[] { "static", "module", "lambda" })
        {
            ic.Update<ulong>(id, "arm", how);
        }

        // What a durable record keeps, bound again as a recovering process does.
        var canister = ic.Subnet[id];
        var records = canister.TimerTable.Values.Select(t => new DurableTimer(t.Id, t.DueNanos, t.IntervalNanos, t.Recoverable!)).ToList();
        ic.Subnet.RestoreTimers(id, canister.NextTimerId, records);
        ic.AdvanceTime(TimeSpan.FromSeconds(2));
        ic.Tick();

        Assert.Equal(111UL, canister.Heap.Cell("fired", Storable.U64, 0UL).Peek());
        Assert.Equal([CallbackTarget.Static, CallbackTarget.Module, CallbackTarget.StatelessClosure], records.Select(r => r.Callback.Target));
    }

    [Fact]
    public void Without_durability_a_capturing_closure_is_still_a_valid_timer()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new TimerKindsModule());

        ic.Update<ulong>(id, "arm", "capturing");
        ic.AdvanceTime(TimeSpan.FromSeconds(2));
        ic.Tick();

        Assert.Equal(9UL, ic.Subnet[id].Heap.Cell("fired", Storable.U64, 0UL).Peek());
    }
}
