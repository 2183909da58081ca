using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Tests;

/// <summary>Counts heartbeats and global-timer firings; traps in the heartbeat when told to.</summary>
public sealed class HeartbeatModule : CanisterModule
{
    public override string Name => "heartbeat";

    public override int Version => 1;

    private static HeapCell<ulong> Beats(Ic0 ic) => ic.Heap.Cell("beats", Storable.U64, 0UL);

    private static HeapCell<ulong> GlobalTimers(Ic0 ic) => ic.Heap.Cell("global_timers", Storable.U64, 0UL);

    private static HeapCell<ulong> TrapNext(Ic0 ic) => ic.Heap.Cell("trap_next", Storable.U64, 0UL);

    public override Outcome Heartbeat(Ic0 ic)
    {
        Beats(ic).Set(Beats(ic).Get() + 1);
        if (TrapNext(ic).Get() != 0)
        {
            ic.StableGrow(1);
            ic.Trap("heartbeat refused");
        }

        return Outcome.Done;
    }

    public override Outcome GlobalTimer(Ic0 ic)
    {
        GlobalTimers(ic).Set(GlobalTimers(ic).Get() + 1);
        return Outcome.Done;
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Query<object?, ulong>("beats", (ic, _) => Beats(ic).Get())
        .Query<object?, ulong>("global_timers", (ic, _) => GlobalTimers(ic).Get())
        .Update<ulong, ulong>("set_global_timer", (ic, at) => ic.SetGlobalTimer(at))
        .Update<bool, bool>("trap_heartbeats", (ic, on) =>
        {
            TrapNext(ic).Set(on ? 1UL : 0UL);
            return on;
        });
}
