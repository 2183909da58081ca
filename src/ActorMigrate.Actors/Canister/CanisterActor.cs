using ActorMigrate.Actors.Durability;
using ActorMigrate.Actors.Proxy;
using ActorMigrate.Canisters;
using Akka.Actor;

namespace ActorMigrate.Actors.Canister;

/// <summary>
/// One canister. Its subnet sends it its steps of each round; the actor runs the canister's executions
/// of that step on the engine synchronously (each commits or rolls back before the next starts, and
/// no other message is taken meanwhile: the IC's one-at-a-time rule). After its deliveries it hands
/// the round's committed stable pages and metadata to its <see cref="StableMemoryActor"/> child, answers
/// the step at once and tells its subnet when the round is durable: the subnet holds the round's
/// answers until then, and may run the next round meanwhile. A management operation's change is
/// handed over the same way, between rounds (<see cref="PersistBetweenRounds"/>).
/// </summary>
/// <remarks>
/// The engine's <see cref="Canisters.Subnet"/> is shared with the subnet actor: the canister actor
/// touches only its own canister, and only while the subnet waits for its step. A persistence failure
/// stops the canister for good — it tells the subnet (<see cref="CanisterFailed"/>) and answers every
/// later step with <see cref="CanisterStepFailed"/> rather than run on state that is no longer durable.
/// </remarks>
public sealed class CanisterActor : ReceiveActor
{
    private readonly Canisters.Subnet subnet;
    private readonly Principal id;
    private readonly IActorRef? stableMemory;
    private readonly ProxyHost proxy;
    private byte[] lastMetadata = [];
    private string? failure;
    private long writesSent;
    private long writesDurable;

    private bool recovering;

    /// <param name="recover">Read the durable state first and send it to the parent as <see cref="CanisterRecovered"/>;
    /// the engine's canister does not exist until the parent answers <see cref="AttachCanister"/>.</param>
    /// <param name="canister">The engine's canister (when not recovering). Handed over rather than looked up:
    /// this constructor runs on another thread while the subnet actor may be adding canisters to the engine.</param>
    public CanisterActor(Canisters.Subnet subnet, Principal id, StableMemorySettings? durability, bool recover = false,
        Canisters.Canister? canister = null)
    {
        this.subnet = subnet;
        this.id = id;
        proxy = new ProxyHost(subnet, id);
        if (durability is not null)
        {
            stableMemory = Context.ActorOf(StableMemoryActor.Props(id.Text, durability), "stable-memory");
            Context.Watch(stableMemory);
            if (recover)
            {
                recovering = true;
                stableMemory.Tell(GetDurableState.Instance);
            }
            else
            {
                Track(canister ?? subnet[id]);
            }
        }

        Receive<DurableState>(state =>
        {
            recovering = false;
            heapImageDurable = state.HeapImage is not null;
            lastMetadata = state.Metadata.ToArray();
            Context.Parent.Tell(new CanisterRecovered(id, state));
        });
        Receive<AttachCanister>(attach =>
        {
            if (stableMemory is not null)
            {
                Track(attach.Canister);
            }
        });

        Receive<RunSystemTasks>(step => Run(step.Plan, () => subnet.RunSystemTasks(step.Plan, id), persist: false));
        Receive<RunDeliveries>(step => Run(step.Plan, () => subnet.RunDeliveries(step.Plan, id), persist: true));
        Receive<PersistBetweenRounds>(step => Finish(step.AfterRound, RoundOutput.Nothing(id), persist: true, Sender, betweenRounds: true));
        Receive<RanThroughProxy>(ran => Finish(ran.Round, ran.Output, ran.EndsRound, ran.ReplyTo));
        // The journal acknowledges writes in the order they were sent, each once (a refused one stops the canister).
        Receive<RoundDurable>(_ => Context.Parent.Tell(new CanisterWriteDurable(id, ++writesDurable)));
        Receive<RoundNotDurable>(notDurable => Fail($"round {notDurable.Round} could not be made durable: {notDurable.Reason}"));
        Receive<StableMemoryFailed>(failed => Fail($"its stable memory actor stopped: {failed.Reason}"));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(stableMemory))
            {
                Fail("its stable memory actor stopped");
            }
        });
    }

    public static Props Props(Canisters.Subnet subnet, Principal id, StableMemorySettings? durability, bool recover = false,
        Canisters.Canister? canister = null) =>
        Akka.Actor.Props.Create(() => new CanisterActor(subnet, id, durability, recover, canister));

    /// <summary>The canister's durable metadata as last persisted (for tests).</summary>
    internal byte[] LastMetadata => lastMetadata;

    private void Run(RoundPlan plan, Func<RoundOutput> step, bool persist)
    {
        var replyTo = Sender;
        if (failure is not null)
        {
            replyTo.Tell(new CanisterStepFailed(id, plan.Round, failure, RoundOutput.Nothing(id)));
            return;
        }

        if (!proxy.Route(Context, plan.Round, step, persist, replyTo))
        {
            Finish(plan.Round, step(), persist, replyTo);
        }
    }

    /// <summary>The step ran (here, or through the ProxyActor): send the round to the journal and answer.</summary>
    private void Finish(ulong planRound, RoundOutput output, bool persist, IActorRef replyTo, bool betweenRounds = false)
    {
        proxy.Refresh(Context); // an upgrade in this step replaced the heap: its ProxyActor goes with it
        if (failure is not null)
        {
            replyTo.Tell(new CanisterStepFailed(id, planRound, failure, output)); // stopped while the ProxyActor ran the step
            return;
        }

        if (!persist || stableMemory is null)
        {
            replyTo.Tell(new CanisterStepDone(id, output));
            return;
        }

        var round = MakeRound(planRound, betweenRounds);
        if (round is null)
        {
            replyTo.Tell(new CanisterStepDone(id, output));
            return;
        }

        stableMemory.Tell(round);
        replyTo.Tell(new CanisterStepDone(id, output, JournalWrite: ++writesSent));
    }

    /// <summary>
    /// From now on the canister records its stable deltas and its callbacks' references, and its heap as
    /// it stands (restored, or empty) counts as persisted. When the durable state holds its image, the
    /// heap tracks its changes so the next rounds persist deltas.
    /// </summary>
    private void Track(Canisters.Canister canister)
    {
        canister.TrackStableDeltas();
        canister.RequireRecoverableCallbacks();
        persistedHeap = (canister.Heap, canister.Heap.CommittedChanges, canister.Heap.SizeBytes);
        if (heapImageDurable)
        {
            canister.Heap.TrackChanges();
        }
    }

    /// <summary>The heap as last persisted: its instance (an upgrade replaces it), committed changes and size.</summary>
    private (Heap Heap, long Changes, long SizeBytes)? persistedHeap;

    /// <summary>Whether the durable state holds a heap image (recovered with one, or one was sent since): deltas need one to apply to.</summary>
    private bool heapImageDurable;

    /// <summary>
    /// What the round persists of the heap: nothing when it did not change since it was last persisted;
    /// a whole image when it is another instance (install, upgrade, reinstall, uninstall, snapshot load)
    /// — from then on it tracks its changes —; else the delta of what its containers changed.
    /// </summary>
    private (byte[]? Image, byte[]? Delta) HeapIfChanged(Canisters.Canister canister)
    {
        var heap = canister.Heap;
        var sameInstance = persistedHeap is { } last && ReferenceEquals(last.Heap, heap);
        if (sameInstance && persistedHeap!.Value.Changes == heap.CommittedChanges && persistedHeap.Value.SizeBytes == heap.SizeBytes)
        {
            return (null, null);
        }

        persistedHeap = (heap, heap.CommittedChanges, heap.SizeBytes);
        if (sameInstance && heap.TracksChanges)
        {
            return (null, heap.TakeDeltaImage());
        }

        var image = heap.ToImage();
        heap.TrackChanges();
        heapImageDurable = true;
        return (image, null);
    }

    /// <summary>The round's durable record, or null when the canister changed nothing that is persisted.</summary>
    private PersistRound? MakeRound(ulong round, bool betweenRounds)
    {
        var canister = subnet[id];
        var delta = canister.TakeStableDelta();
        var metadata = CanisterMetadata.Encode(canister, subnet.TimeNanos);
        var (heapImage, heapDelta) = HeapIfChanged(canister);
        if (!delta.Reset && delta.Pages.Length == 0 && heapImage is null && heapDelta is null && metadata.AsSpan().SequenceEqual(lastMetadata))
        {
            return null;
        }

        lastMetadata = metadata;
        var pages = new PageDelta[delta.Pages.Length];
        for (var i = 0; i < pages.Length; i++)
        {
            var bytes = new byte[PageDelta.PageSize];
            canister.StableMemory.Read(delta.Pages[i] * PageDelta.PageSize, bytes);
            pages[i] = new PageDelta(delta.Pages[i], bytes);
        }

        return new PersistRound((long)round, canister.StableMemory.Size, pages, metadata,
            heapImage is null ? (ReadOnlyMemory<byte>?)null : heapImage, StableMemoryReset: delta.Reset,
            HeapDelta: heapDelta is null ? (ReadOnlyMemory<byte>?)null : heapDelta, BetweenRounds: betweenRounds)
        {
            BuffersHandedOver = true, // fresh arrays made for this round only: the event keeps them without another copy
        };
    }

    private void Fail(string reason)
    {
        if (failure is not null)
        {
            return;
        }

        failure = $"canister {id} is stopped: {reason}";
        if (recovering)
        {
            recovering = false;
            Context.Parent.Tell(new CanisterRecoveryFailed(id, failure));
        }

        var failed = new CanisterFailed(id, failure);
        Context.Parent.Tell(failed);
        Context.System.EventStream.Publish(failed);
    }
}
