using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using Akka.Actor;

namespace ActorMigrate.Actors.Proxy;

/// <summary>
/// The canister actor's side of its <see cref="ProxyActor"/>: keeps one child exactly while the
/// canister runs a module with a migrating store, rebuilt whenever the heap is replaced (an upgrade
/// stops the old one with the heap it served; post_upgrade's heap gets a new one), and routes the
/// canister's steps through it. Kept here so the canister actor needs only a few lines.
/// </summary>
public sealed class ProxyHost(Canisters.Subnet subnet, Principal id)
{
    private IActorRef? proxy;
    private Heap? heap;
    private int built;

    /// <summary>The current ProxyActor, or null when the canister's module migrates nothing.</summary>
    public IActorRef? Proxy => proxy;

    /// <summary>
    /// Hop one: hands <paramref name="step"/> to the ProxyActor and returns true (the answer comes back as
    /// <see cref="RanThroughProxy"/>), or returns false when the canister has no migrating store.
    /// </summary>
    public bool Route(IActorContext context, ulong round, Func<RoundOutput> step, bool endsRound, IActorRef replyTo)
    {
        Refresh(context);
        if (proxy is null)
        {
            return false;
        }

        proxy.Tell(new RunThroughProxy(round, step, endsRound, replyTo), context.Self);
        return true;
    }

    /// <summary>Stops the ProxyActor of a heap that is gone and builds one for a new heap of a migrating module (call during a step: the canister exists).</summary>
    public void Refresh(IActorContext context)
    {
        var canister = subnet[id];
        if (ReferenceEquals(canister.Heap, heap) && (proxy is not null) == canister.Module is IMigratingModule)
        {
            return;
        }

        if (proxy is not null)
        {
            context.Stop(proxy);
            proxy = null;
            canister.HostContext = null;
        }

        heap = canister.Heap;
        if (canister.Module is IMigratingModule)
        {
            var counters = new RoutingCounters();
            canister.HostContext = counters;
            proxy = context.ActorOf(ProxyActor.Props(subnet, id, counters), $"proxy-{++built}");
        }
    }
}
