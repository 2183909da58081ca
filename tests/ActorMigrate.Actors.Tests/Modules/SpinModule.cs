using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// Keeps call contexts open: <c>spin</c> awaits a call to itself, which awaits one more, a level per
/// round, so at any moment the canister has open call contexts. The continuation is a static method
/// (recoverable: it counts the rejects it sees) or, with <c>spin_closure</c>, a lambda that captured
/// its depth (lost in a crash).
/// </summary>
public sealed class SpinModule : CanisterModule
{
    public override string Name => "spin";

    public override int Version => 1;

    public static HeapCell<ulong> LostSeen(Ic0 ic) => ic.Heap.Cell("lost-seen", Storable.U64, 0UL);

    /// <summary>The count read between rounds (0 before the first reject).</summary>
    public static ulong LostSeen(Canisters.Subnet subnet, Principal id) =>
        subnet[id].Heap.ContainerNames.Contains("lost-seen") ? subnet[id].Heap.Cell("lost-seen", Storable.U64, 0UL).Peek() : 0;

    private static Outcome Continue(Ic0 ic, CallResult result)
    {
        if (result.Reject?.Code == ErrorCode.CallLostInCrash)
        {
            LostSeen(ic).Set(LostSeen(ic).Get() + 1);
        }

        return Outcome.Reply(result.Reject?.Code.ToString() ?? "replied");
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .UpdateAsync<object?>("spin", (ic, _) => Outcome.Await(ic.Call(ic.Self, "spin"), Continue))
        .UpdateAsync<ulong>("spin_closure", (ic, depth) =>
            Outcome.Await(ic.Call(ic.Self, "spin_closure", depth + 1), (then, result) => Outcome.Reply(depth)))
        .Query<object?, ulong>("lost_seen", (ic, _) => LostSeen(ic).Get());
}
