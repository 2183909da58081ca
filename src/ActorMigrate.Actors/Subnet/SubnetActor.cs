using ActorMigrate.Actors.Canister;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Canisters;
using Akka.Actor;

namespace ActorMigrate.Actors.Subnet;

/// <summary>
/// A subnet: owns the engine's <see cref="Canisters.Subnet"/>, its rounds and its virtual clock, and
/// one <see cref="CanisterActor"/> child per canister. A round is driven in two phases — every
/// canister with system tasks runs them (heartbeat, global timer, due timers: IC timers are data
/// fired by this clock, never Akka timers), then every canister with messages takes them in queue
/// order — and merged by the engine in a fixed order, so the trace is exactly the bare engine's.
/// </summary>
/// <remarks>
/// Rounds run while any ingress waits for its answer, or when <see cref="RunRounds"/> asks. Commands
/// arriving during a round are stashed and handled between rounds, so the engine is only touched by
/// one actor at a time: this one between rounds, each canister actor for its own canister during its
/// step. Ingress answers (and <see cref="RoundsRun"/>) are held until every canister's part of their round
/// is durable (<see cref="UndurableRounds"/>). The next round need not wait for that: up to
/// <see cref="SubnetActorSettings.RoundsAheadOfJournal"/> rounds may run while the journal catches up,
/// unless one of them sent a message between canisters (a crash could then undo the sender's round but
/// not the receiver's). A management operation runs between rounds and is written and held the same
/// way before it is answered.
/// </remarks>
public sealed class SubnetActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly SubnetActorSettings settings;
    private readonly Canisters.Subnet subnet;
    private readonly Dictionary<Principal, IActorRef> canisterActors = [];
    private readonly Dictionary<ulong, (IActorRef ReplyTo, ulong SubmittedRound)> waiting = [];

    /// <summary>Waiting ingress in submission order (so also in round order): expiry looks at the oldest only.</summary>
    private readonly Queue<(ulong IngressId, ulong SubmittedRound)> waitingOrder = new();
    private readonly Dictionary<Principal, string> failed = [];
    /// <summary>Management operations waiting for their canister's sliced execution to finish, in arrival order.</summary>
    private readonly List<(Manage Manage, IActorRef ReplyTo)> waitingForSlicedExecution = [];

    /// <summary>Canisters created since the last round: their first round writes their initial state.</summary>
    private readonly HashSet<Principal> created = [];
    private readonly List<RoundOutput> outputs = [];
    private readonly List<(IActorRef ReplyTo, int Rounds, bool AwaitJournal)> roundRequests = [];

    /// <summary>Calls paced one a round (<see cref="RunRounds.OneCallPerRound"/>): each round submits the next before it starts.</summary>
    private readonly Queue<(UpdateCall Call, IActorRef ReplyTo)> pacedIngress = new();
    private readonly UndurableRounds undurable = new();
    private readonly Dictionary<Principal, long> sentToJournal = [];
    private int roundsRequested;
    private RoundPlan? plan;
    private int stepsOutstanding;
    private bool roundScheduled;

    private readonly ModuleRegistry modules;
    private IActorRef? directory;
    private readonly Dictionary<Principal, CanisterRegistered> recoveringCanisters = [];
    private ulong recoveredRound;
    private ulong recoveredTime;

    public SubnetActor(SubnetActorSettings settings, ModuleRegistry? modules = null)
    {
        this.settings = settings;
        this.modules = modules ?? new ModuleRegistry();
        subnet = new Canisters.Subnet(settings.Engine);
        if (settings.Durability is { } durability)
        {
            directory = Context.ActorOf(CanisterDirectory.Props(Self.Path.Name, durability), "canisters");
            Context.Watch(directory);
            directory.Tell(GetRegisteredCanisters.Instance);
            Become(Recovering);
        }
        else
        {
            Become(BetweenRounds);
        }
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly System.Diagnostics.Stopwatch realTime = new();
    private TimeSpan realTimeAtLastRound;
    private bool realTimeRoundDue;

    protected override void PreStart()
    {
        if (settings.RealTimeRoundInterval is { } interval)
        {
            realTime.Start();
            Timers.StartPeriodicTimer("real-time-rounds", RealTimeRound.Instance, interval);
        }
    }

    /// <summary>The real-time clock's tick (actormigrate.subnet.real-time-rounds): the Akka timer is the actor's own housekeeping, not an IC timer.</summary>
    private sealed record RealTimeRound
    {
        public static readonly RealTimeRound Instance = new();
    }

    /// <summary>Moves the virtual clock by the real time elapsed and makes sure a round runs.</summary>
    private void OnRealTimeRound()
    {
        realTimeRoundDue = false;
        var now = realTime.Elapsed;
        subnet.AdvanceTime(now - realTimeAtLastRound);
        realTimeAtLastRound = now;
        if (roundsRequested == 0)
        {
            roundsRequested = 1;
        }

        ScheduleRound();
    }

    /// <param name="modules">The modules recovered canisters may name; every installed module is added.</param>
    public static Props Props(SubnetActorSettings settings, ModuleRegistry? modules = null) =>
        Akka.Actor.Props.Create(() => new SubnetActor(settings, modules));

    /// <summary>
    /// A durable subnet starts by reading its canister directory, then every canister's durable state,
    /// and restores the engine as of each canister's last durable round before it takes any command.
    /// </summary>
    private void Recovering()
    {
        Receive<RegisteredCanisters>(registered =>
        {
            foreach (var canister in registered.Canisters)
            {
                var id = new Principal(canister.CanisterId);
                recoveringCanisters[id] = canister;
                canisterActors[id] = Context.ActorOf(
                    CanisterActor.Props(subnet, id, settings.Durability, recover: true), id.Text);
            }

            FinishRecoveryIfDone();
        });
        Receive<CanisterRecovered>(recovered =>
        {
            if (recoveringCanisters.Remove(recovered.Canister, out var registered))
            {
                Restore(registered, recovered.State);
                canisterActors[recovered.Canister].Tell(new AttachCanister(subnet[recovered.Canister]));
            }

            FinishRecoveryIfDone();
        });
        Receive<CanisterRecoveryFailed>(failedRecovery =>
        {
            if (recoveringCanisters.Remove(failedRecovery.Canister, out var registered))
            {
                failed[failedRecovery.Canister] = failedRecovery.Reason;
                subnet.RestoreCanister(failedRecovery.Canister, registered.Controllers.Select(c => new Principal(c)), null, 0,
                    CanisterStatus.Stopped, new StableMemory.SparseMemory(), 0, 0, 0);
            }

            FinishRecoveryIfDone();
        });
        Receive<Terminated>(t => throw new InvalidOperationException($"the canister directory {t.ActorRef.Path} stopped during recovery"));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Restore(CanisterRegistered registered, Durability.DurableState state)
    {
        var id = new Principal(registered.CanisterId);
        var controllers = registered.Controllers.Select(c => new Principal(c));
        if (state.LastDurableRound is not { } round)
        {
            subnet.RestoreCanister(id, controllers, null, 0, CanisterStatus.Running, state.StableMemory,
                settings.Engine.Limits.DefaultWasmMemoryLimitBytes, settings.Engine.Limits.DefaultWasmMemoryThresholdBytes, 0);
            return;
        }

        var metadata = CanisterMetadata.Decode(state.Metadata.Span);
        CanisterModule? module = null;
        if (metadata.ModuleName is { } name && !modules.TryFind(name, metadata.ModuleVersion, out module))
        {
            failed[id] = $"canister {id} is stopped: its module {name} v{metadata.ModuleVersion} is not in the host's module registry";
        }

        subnet.RestoreCanister(id, metadata.Controllers, module, metadata.CanisterVersion, metadata.Status, state.StableMemory,
            metadata.WasmMemoryLimitBytes, metadata.WasmMemoryThresholdBytes, metadata.GlobalTimerNanos);
        if (module is not null)
        {
            RestoreModuleState(id, metadata, state.HeapImage);
        }

        recoveredRound = Math.Max(recoveredRound, (ulong)round);
        recoveredTime = Math.Max(recoveredTime, metadata.SubnetTimeNanos);
    }

    /// <summary>Heap, timers, open call contexts and execution counters: what module code left at the last durable round.</summary>
    private void RestoreModuleState(Principal id, CanisterMetadata metadata, ReadOnlyMemory<byte>? heapImage)
    {
        try
        {
            if (heapImage is { } image)
            {
                subnet.RestoreHeap(id, image);
            }

            subnet.RestoreTimers(id, metadata.NextTimerId, metadata.Timers);
            subnet.RestoreCallContexts(id, metadata.NextCallbackId, metadata.CallContexts);
            subnet.RestoreExecutionState(id, metadata.InstallCodeDebt, metadata.LowWasmMemoryHookArmed, metadata.LowWasmMemoryHookPending, metadata.Metrics);
        }
        catch (Exception e) when (e is CallbackBindException or StableMemory.CorruptMemoryException)
        {
            failed[id] = $"canister {id} is stopped: its durable state cannot be restored: {e.Message}";
        }
    }

    private void FinishRecoveryIfDone()
    {
        if (recoveringCanisters.Count > 0)
        {
            return;
        }

        subnet.RestoreClock(recoveredRound, recoveredTime);
        if (subnet.RejectLostCalls() > 0)
        {
            roundsRequested++; // the rejects of calls lost in the crash go out at once: no caller waits for a driver
            ScheduleRound();
        }

        Context.System.EventStream.Publish(new SubnetRecovered(Self, canisterActors.Count, recoveredRound));
        Become(BetweenRounds);
        Stash.UnstashAll();
    }

    private sealed record StartRound
    {
        public static readonly StartRound Instance = new();
    }

    private void BetweenRounds()
    {
        Receive<CreateCanister>(create =>
        {
            var id = AddCanister(subnet.CreateCanister(create.Controller).Id);
            if (directory is null)
            {
                Sender.Tell(new CanisterCreated(id));
            }
            else
            {
                directory.Tell(new RegisterCanister(id.Text, [create.Controller.Text], Sender)); // answered once journaled
            }
        });
        Receive<UpdateCall>(OnUpdateCall);
        Receive<InstallCode>(OnInstallCode);
        Receive<QueryCall>(query =>
        {
            if (Refuse(query.Canister) is { } reject)
            {
                Sender.Tell(reject);
                return;
            }

            undurable.AnswerBehind(new HeldAnswer(Sender, subnet.Query(query.Canister, query.Method, query.Arg, query.Caller), query.Canister));
        });
        Receive<RunRounds>(run =>
        {
            if (run.OneCallPerRound && run.Ingress.Count > run.Rounds)
            {
                Sender.Tell(new Status.Failure(new ArgumentException(
                    $"{run.Ingress.Count} calls paced one a round need at least as many rounds, not {run.Rounds}", nameof(run))));
                return;
            }

            if (run.OneCallPerRound)
            {
                foreach (var ingress in run.Ingress)
                {
                    pacedIngress.Enqueue(ingress);
                }
            }
            else
            {
                foreach (var (call, replyTo) in run.Ingress)
                {
                    Submit(call, replyTo);
                }
            }

            roundRequests.Add((Sender, run.Rounds, run.AwaitJournal));
            roundsRequested += run.Rounds;
            ScheduleRound();
        });
        Receive<AdvanceTime>(advance =>
        {
            // Durable with the next round (docs/actors.md): a write per call would double a driver's journal writes.
            subnet.AdvanceTime(advance.By);
            Sender.Tell(new RoundsRun(subnet.Round, subnet.TimeNanos));
        });
        Receive<Manage>(Handle);
        Receive<Inspect>(inspect => Sender.Tell(new Inspected(inspect.Read(subnet))));
        Receive<RealTimeRound>(_ => OnRealTimeRound());
        Receive<CanisterWriteDurable>(OnWriteDurable);
        Receive<CanisterFailed>(OnCanisterFailed);
        Receive<StartRound>(_ =>
        {
            roundScheduled = false;
            if (!RoundsDue)
            {
                return;
            }

            if (MayRunAhead())
            {
                BeginRound(); // else ReleaseDurableAnswers schedules it again
            }
        });
    }

    /// <summary>Whether rounds must run: asked for, or something waits for one.</summary>
    private bool RoundsDue => roundsRequested > 0 || waiting.Count > 0 || waitingForSlicedExecution.Count > 0;

    /// <summary>Whether a round may start now, with the journal behind by <see cref="UndurableRounds.Count"/> rounds.</summary>
    private bool MayRunAhead() =>
        undurable.Count == 0 || (undurable.Count <= settings.RoundsAheadOfJournal && !undurable.HoldsRoundReachingOthers);

    private void OnWriteDurable(CanisterWriteDurable durable)
    {
        undurable.Durable(durable.Canister, durable.Write);
        ReleaseDurableAnswers();
    }

    /// <summary>A canister lost its journal: it is stopped, and what it answered in rounds not yet durable is rejected.</summary>
    private void OnCanisterFailed(CanisterFailed stopped)
    {
        failed.TryAdd(stopped.Canister, stopped.Reason);
        undurable.Lost(stopped.Canister, new CanisterError(ErrorCode.CanisterStopped, failed[stopped.Canister]));
        ReleaseDurableAnswers();
    }

    private void ReleaseDurableAnswers()
    {
        undurable.Release();
        if (plan is null && RoundsDue && MayRunAhead())
        {
            ScheduleRound(); // a round due may have waited for the journal
        }
    }

    /// <summary>
    /// Ingress is queued for the next round, also while a round runs: the engine's queue belongs to the
    /// subnet (canister steps write only their own outputs), and what is submitted during a round
    /// goes behind that round's messages, exactly where it would go if it had waited for the round's
    /// end. Not stashing it keeps the subnet actor's work per call small and lets it overlap the round.
    /// </summary>
    private void OnUpdateCall(UpdateCall call) => Submit(call, Sender);

    private void Submit(UpdateCall call, IActorRef replyTo)
    {
        if (Refuse(call.Canister) is { } reject)
        {
            replyTo.Tell(reject);
            return;
        }

        Wait(subnet.SubmitIngress(call.Canister, call.Method, call.Arg, call.Caller), replyTo);
    }

    private void OnInstallCode(InstallCode install)
    {
        if (Refuse(install.Canister) is { } reject)
        {
            Sender.Tell(reject);
            return;
        }

        modules.Register(install.Module);
        Wait(subnet.SubmitInstallCode(install.Canister, install.Sender, install.Mode, install.Module, install.Arg, install.SkipPreUpgrade), Sender);
    }

    private void InRound()
    {
        Receive<CanisterStepDone>(done =>
        {
            if (done.JournalWrite is { } write)
            {
                sentToJournal[done.Canister] = write;
            }

            StepFinished(done.Output);
        });
        Receive<CanisterStepFailed>(stepFailed =>
        {
            failed.TryAdd(stepFailed.Canister, stepFailed.Reason);
            StepFinished(stepFailed.Output);
        });
        WhileCanistersHoldTheEngine();
    }

    /// <summary>
    /// What the subnet takes while canister actors run on the engine (a round's steps, a write between
    /// rounds): journal news, and ingress, which only queues; everything else waits in the stash.
    /// </summary>
    private void WhileCanistersHoldTheEngine()
    {
        Receive<CanisterWriteDurable>(OnWriteDurable);
        Receive<CanisterFailed>(OnCanisterFailed);
        Receive<RealTimeRound>(_ => realTimeRoundDue = true); // one is enough, however many came meanwhile
        Receive<UpdateCall>(OnUpdateCall);
        Receive<InstallCode>(OnInstallCode);
        ReceiveAny(_ => Stash.Stash());
    }

    private Principal AddCanister(Principal id)
    {
        canisterActors[id] = Context.ActorOf(CanisterActor.Props(subnet, id, settings.Durability, canister: subnet[id]), id.Text);
        created.Add(id);
        return id;
    }

    /// <summary>A canister stopped by a persistence failure refuses everything, so no undurable state is ever seen.</summary>
    private CallResult? Refuse(Principal canister) =>
        failed.TryGetValue(canister, out var reason) ? CallResult.Rejected(new CanisterError(ErrorCode.CanisterStopped, reason)) : null;

    private void Wait(ulong messageId, IActorRef replyTo)
    {
        waiting[messageId] = (replyTo, subnet.Round);
        waitingOrder.Enqueue((messageId, subnet.Round));
        ScheduleRound();
    }

    private void ScheduleRound()
    {
        if (!roundScheduled)
        {
            roundScheduled = true;
            Self.Tell(StartRound.Instance); // behind the commands already in the mailbox: one round serves them all
        }
    }

    /// <summary>
    /// A management operation runs between rounds. On a durable subnet its canister writes what it changed
    /// at once (<see cref="PersistBetweenRounds"/>) and the answer waits for that write like a round's: a
    /// crash before the canister's next round must not undo a stop, start, uninstall or snapshot load its
    /// caller was told of.
    /// </summary>
    private void Handle(Manage manage)
    {
        if (Refuse(manage.Canister) is { } reject)
        {
            Sender.Tell(new Managed(reject.Reject, 0));
            return;
        }

        if (canisterActors.ContainsKey(manage.Canister) && subnet[manage.Canister].IsBlockedBySlicedExecution)
        {
            // The IC's management messages wait for a paused execution; the engine would run the rounds
            // itself, past the canister actors (nothing journaled, no answer delivered). Rounds run it out.
            waitingForSlicedExecution.Add((manage, Sender));
            ScheduleRound();
            return;
        }

        var (error, snapshot) = manage.Operation switch
        {
            ManagementOperation.Stop => (subnet.StopCanister(manage.Canister, manage.Sender), 0UL),
            ManagementOperation.Start => (subnet.StartCanister(manage.Canister, manage.Sender), 0UL),
            ManagementOperation.Uninstall => (subnet.UninstallCode(manage.Canister, manage.Sender), 0UL),
            ManagementOperation.TakeSnapshot => TakeSnapshot(manage),
            ManagementOperation.LoadSnapshot => (subnet.LoadSnapshot(manage.Canister, manage.Sender, manage.SnapshotId), 0UL),
            _ => throw new ArgumentOutOfRangeException(nameof(manage), manage.Operation, "unknown management operation"),
        };
        WriteBetweenRounds(manage.Canister, new HeldAnswer(Sender, new Managed(error, snapshot), manage.Canister));
    }

    /// <summary>
    /// On a durable subnet, <paramref name="canister"/> writes what changed since its last write, and
    /// <paramref name="answer"/> waits for that write like a round's answers; elsewhere it goes now.
    /// </summary>
    private void WriteBetweenRounds(Principal canister, HeldAnswer answer)
    {
        if (settings.Durability is null || !canisterActors.TryGetValue(canister, out var actor))
        {
            answer.ReplyTo.Tell(answer.Message);
            return;
        }

        actor.Tell(new PersistBetweenRounds(subnet.Round));
        Become(() => WritingBetweenRounds(answer));
    }

    /// <summary>The canister actor reads its engine canister to write it: nothing else may touch the engine meanwhile.</summary>
    private void WritingBetweenRounds(HeldAnswer answer)
    {
        Receive<CanisterStepDone>(done =>
        {
            Dictionary<Principal, long> writes = done.JournalWrite is { } write ? new() { [done.Canister] = write } : [];
            AfterWriteBetweenRounds(writes, answer);
        });
        Receive<CanisterStepFailed>(stepFailed =>
        {
            failed.TryAdd(stepFailed.Canister, stepFailed.Reason);
            var stopped = answer.RejectedWith(new CanisterError(ErrorCode.CanisterStopped, failed[stepFailed.Canister]));
            AfterWriteBetweenRounds(new Dictionary<Principal, long>(), answer with { Message = stopped, From = null });
        });
        WhileCanistersHoldTheEngine();
    }

    private void AfterWriteBetweenRounds(IReadOnlyDictionary<Principal, long> writes, HeldAnswer answer)
    {
        Hold(writes, [answer], reachesOthers: false);
        BackBetweenRounds();
    }

    private (CanisterError?, ulong) TakeSnapshot(Manage manage)
    {
        try
        {
            return (null, subnet.TakeSnapshot(manage.Canister, manage.Sender));
        }
        catch (CanisterRejectException e)
        {
            return (e.Error, 0UL);
        }
    }

    private void BeginRound()
    {
        if (roundsRequested > 0)
        {
            roundsRequested--;
        }

        if (pacedIngress.TryDequeue(out var paced))
        {
            Submit(paced.Call, paced.ReplyTo);
        }

        plan = subnet.BeginRound();
        outputs.Clear();
        Become(InRound);
        var participants = plan.WithSystemTasks.Where(id => !failed.ContainsKey(id)).ToList();
        if (participants.Count == 0)
        {
            BeginDeliveries();
            return;
        }

        stepsOutstanding = participants.Count;
        var step = new RunSystemTasks(plan);
        foreach (var id in participants)
        {
            canisterActors[id].Tell(step);
        }
    }

    private void StepFinished(RoundOutput output)
    {
        outputs.Add(output);
        if (--stepsOutstanding > 0)
        {
            return;
        }

        if (delivering)
        {
            EndRound();
        }
        else
        {
            BeginDeliveries();
        }
    }

    private readonly List<RoundOutput> systemOutputs = [];
    private bool delivering;

    private void BeginDeliveries()
    {
        var round = plan!;
        systemOutputs.Clear();
        systemOutputs.AddRange(outputs);
        outputs.Clear();
        subnet.BeginDeliveries(round, systemOutputs);
        delivering = true;

        // Every canister that ran or received something, or was created since the last round, finishes
        // the round with its deliveries step, which is also where its round becomes durable.
        var participants = new HashSet<Principal>(round.WithDeliveries);
        participants.UnionWith(round.WithSystemTasks);
        participants.UnionWith(created);
        created.Clear();
        foreach (var (id, reason) in failed)
        {
            if (participants.Remove(id))
            {
                // A stopped canister runs nothing, but its callers are answered, never left waiting.
                outputs.Add(subnet.RejectDeliveries(round, id, new CanisterError(ErrorCode.CanisterStopped, reason)));
            }
        }

        if (participants.Count == 0)
        {
            EndRound();
            return;
        }

        stepsOutstanding = participants.Count;
        var step = new RunDeliveries(round);
        foreach (var id in participants.Order())
        {
            canisterActors[id].Tell(step);
        }
    }

    private void EndRound()
    {
        var round = plan!;
        delivering = false;
        subnet.EndRound(round, outputs);
        var answers = new List<HeldAnswer>();
        var reachesOthers = false;
        foreach (var output in systemOutputs.Concat(outputs))
        {
            reachesOthers |= output.ReachesOtherCanisters;
            var failure = output.Canister is { } c && failed.TryGetValue(c, out var reason) ? reason : null;
            foreach (var ingressId in output.AnsweredIngress)
            {
                subnet.TryTakeResult(ingressId, out var result);
                if (!waiting.Remove(ingressId, out var waiter))
                {
                    continue;
                }

                answers.Add(failure is null
                    ? new HeldAnswer(waiter.ReplyTo, result, output.Canister)
                    : new HeldAnswer(waiter.ReplyTo, CallResult.Rejected(new CanisterError(ErrorCode.CanisterStopped, failure)), null));
            }
        }

        AnswerOwnDeliveries(round);
        ExpireWaiting();
        RetryWaitingManagement();
        plan = null;
        for (var i = roundRequests.Count - 1; i >= 0; i--)
        {
            var (replyTo, rounds, awaitJournal) = roundRequests[i];
            if (rounds <= 1)
            {
                var run = new RoundsRun(subnet.Round, subnet.TimeNanos);
                if (awaitJournal)
                {
                    answers.Add(new HeldAnswer(replyTo, run, null));
                }
                else
                {
                    replyTo.Tell(run);
                }

                roundRequests.RemoveAt(i);
            }
            else
            {
                roundRequests[i] = (replyTo, rounds - 1, awaitJournal);
            }
        }

        Hold(sentToJournal, answers, reachesOthers);
        sentToJournal.Clear();
        BackBetweenRounds();
    }

    private void BackBetweenRounds()
    {
        Become(BetweenRounds);
        Stash.UnstashAll();
        if (realTimeRoundDue)
        {
            OnRealTimeRound();
        }

        if (RoundsDue)
        {
            ScheduleRound();
        }
    }

    /// <summary>
    /// The answers of a round (or of a management operation) wait for the journal writes it made, unless
    /// replies are released early (then a crash can undo what a caller was told, and rounds never wait for
    /// the journal).
    /// </summary>
    private void Hold(IReadOnlyDictionary<Principal, long> writes, List<HeldAnswer> answers, bool reachesOthers)
    {
        if (settings.ReleaseRepliesBeforeDurable)
        {
            foreach (var answer in answers)
            {
                answer.ReplyTo.Tell(answer.Message);
            }

            return;
        }

        undurable.Ran(writes, answers, reachesOthers);
        ReleaseDurableAnswers();
    }

    /// <summary>
    /// Hands the waiting management operations back to the mailbox, in order, after each round: <see cref="Handle"/>
    /// runs those whose canister finished its sliced execution (or stopped) and keeps the others waiting.
    /// </summary>
    private void RetryWaitingManagement()
    {
        foreach (var (manage, replyTo) in waitingForSlicedExecution)
        {
            Self.Tell(manage, replyTo);
        }

        waitingForSlicedExecution.Clear();
    }

    /// <summary>Answers the subnet gave itself (messages to canisters that do not exist).</summary>
    private void AnswerOwnDeliveries(RoundPlan round)
    {
        foreach (var ingressId in round.AnsweredBySubnet)
        {
            if (subnet.TryTakeResult(ingressId, out var result) && waiting.Remove(ingressId, out var waiter))
            {
                waiter.ReplyTo.Tell(result);
            }
        }
    }

    /// <summary>Times out ingress older than max-rounds-per-call; answered ones are dropped from the front as met.</summary>
    private void ExpireWaiting()
    {
        if (waitingOrder.Count > 2 * waiting.Count + 1024)
        {
            // One old call still waiting keeps every later, answered one in the queue: drop those (amortized O(1)).
            var still = waitingOrder.Where(w => waiting.ContainsKey(w.IngressId)).ToList();
            waitingOrder.Clear();
            foreach (var entry in still)
            {
                waitingOrder.Enqueue(entry);
            }
        }

        while (waitingOrder.TryPeek(out var oldest))
        {
            if (waiting.ContainsKey(oldest.IngressId) && subnet.Round - oldest.SubmittedRound < (ulong)settings.MaxRoundsPerCall)
            {
                return; // the oldest still waits, and all later ones are younger
            }

            waitingOrder.Dequeue();
            if (waiting.Remove(oldest.IngressId, out var waiter))
            {
                waiter.ReplyTo.Tell(new Status.Failure(new TimeoutException(
                    $"message {oldest.IngressId} got no answer within {settings.MaxRoundsPerCall} rounds")));
            }
        }
    }
}
