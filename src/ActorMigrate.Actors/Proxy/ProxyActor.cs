using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using Akka.Actor;

namespace ActorMigrate.Actors.Proxy;

/// <summary>
/// The migration proxy's home in the actor layer (DESIGN §3): a child of the canister actor for a
/// module with a migrating store (<see cref="IMigratingModule"/>). Its life is the heap's — built when
/// such a module's heap appears (install, upgrade), stopped when an upgrade discards that heap. The
/// canister actor hands it each step of a round (<see cref="RunThroughProxy"/>); it runs the step's
/// executions, in which every <see cref="MigrationProxy{K,V}"/> routes by the pointer and counts into
/// this actor's <see cref="RoutingCounters"/>, and hands the canister back (<see cref="RanThroughProxy"/>):
/// two hops per step, never one per store access. At the end of the canister's round it publishes one
/// <see cref="MigrationProgress"/> on the EventStream, and answers <see cref="GetMigrationProgress"/>.
/// </summary>
/// <remarks>
/// It runs the engine only while the canister actor waits for its answer, so the canister is still
/// touched by one actor at a time and the trace is the bare engine's.
/// </remarks>
public sealed class ProxyActor : ReceiveActor
{
    private readonly Canisters.Subnet subnet;
    private readonly Principal id;
    private readonly RoutingCounters counters;
    private readonly MigrationStateReader stateReader = new();
    private MigrationProgress? latest;

    public ProxyActor(Canisters.Subnet subnet, Principal id, RoutingCounters counters)
    {
        this.subnet = subnet;
        this.id = id;
        this.counters = counters;
        Receive<RunThroughProxy>(run =>
        {
            var output = run.Step();
            if (run.EndsRound)
            {
                latest = Progress(run.Round);
                Context.System.EventStream.Publish(latest);
            }

            Sender.Tell(new RanThroughProxy(run.Round, output, run.EndsRound, run.ReplyTo));
        });
        Receive<GetMigrationProgress>(_ => Sender.Tell(latest ?? Progress(subnet.Round)));
    }

    public static Props Props(Canisters.Subnet subnet, Principal id, RoutingCounters counters) =>
        Akka.Actor.Props.Create(() => new ProxyActor(subnet, id, counters));

    private MigrationProgress Progress(ulong round)
    {
        var state = stateReader.Read(subnet[id].StableMemory) ?? MigrationState.Initial;
        return new MigrationProgress(
            id, round, state.Phase, state.Direction, state.Pointer, state.MigratedCount, state.SourceCountAtStart,
            new StoreTraffic(counters.HeapReads, counters.HeapWrites), new StoreTraffic(counters.StableReads, counters.StableWrites),
            state.Steps, state.LargestStepInstructions, subnet.Settings.Limits.MaxInstructionsPerSlice, state.AbortReason, Self);
    }
}
