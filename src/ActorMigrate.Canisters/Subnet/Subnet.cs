namespace ActorMigrate.Canisters;

/// <summary>
/// A simulated subnet: its canisters, its message queue, its rounds and its clock. Synchronous and
/// deterministic — time moves only when <see cref="AdvanceTime"/> is called, and the same seed and
/// the same calls give the same <see cref="Trace"/>.
/// </summary>
/// <remarks>
/// A round (<see cref="Tick"/>): every canister first advances a sliced execution in progress (and
/// does nothing else), or else runs its heartbeat, its global timer and its due timers, each as its
/// own execution; then the messages queued before the round are delivered in order (ingress,
/// install_code, calls, responses). Messages produced during a round wait for the next one.
/// </remarks>
public sealed partial class Subnet
{
    private readonly Dictionary<Principal, Canister> canisters = []; // lookups: every message, query and report
    private readonly SortedDictionary<Principal, Canister> ordered = []; // the same canisters in id order, the order they run in
    private readonly Dictionary<ulong, CallResult> ingressResults = [];
    private List<SubnetMessage> inbox = [];
    private ulong nextMessageId;
    private ulong nextCanister;
    private ulong randomState;

    public Subnet(SubnetSettings? settings = null)
    {
        Settings = settings ?? SubnetSettings.Default;
        TimeNanos = Settings.GenesisTimeNanos;
        randomState = Settings.Seed;
    }

    public SubnetSettings Settings { get; }

    public ulong Round { get; private set; }

    public ulong TimeNanos { get; private set; }

    public Trace Trace { get; } = new();

    public IEnumerable<Canister> Canisters => ordered.Values;

    public Canister this[Principal id] =>
        canisters.TryGetValue(id, out var canister) ? canister : throw new KeyNotFoundException($"canister {id} does not exist on this subnet");

    /// <summary>Messages waiting for a round.</summary>
    public int QueuedMessages => inbox.Count;

    public void AdvanceTime(TimeSpan by) => TimeNanos += (ulong)by.Ticks * 100;

    /// <summary>Deterministic randomness from the subnet's seed (raw_rand).</summary>
    public ulong NextRandom()
    {
        // SplitMix64.
        var z = randomState += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public Canister CreateCanister(params Principal[] controllers)
    {
        var id = new Principal($"{++nextCanister:D5}-{NextRandom() % 100_000:D5}-cai");
        var canister = new Canister(id, controllers, Settings);
        canisters.Add(id, canister);
        ordered.Add(id, canister);
        return canister;
    }

    // ---- ingress and install_code: queued, answered in a later round ----

    public ulong SubmitIngress(Principal target, string method, object? arg, Principal caller)
    {
        var id = ++nextMessageId;
        inbox.Add(new IngressMessage(id, target, method, arg, caller));
        return id;
    }

    public ulong SubmitInstallCode(Principal target, Principal sender, InstallMode mode, CanisterModule module, object? arg = null, bool skipPreUpgrade = false)
    {
        var id = ++nextMessageId;
        inbox.Add(new InstallCodeMessage(id, target, sender, mode, module, arg, skipPreUpgrade));
        return id;
    }

    /// <summary>The answer to an ingress or install_code message, once a round has produced it.</summary>
    public bool TryGetResult(ulong messageId, out CallResult result) => ingressResults.TryGetValue(messageId, out result);

    /// <summary>Like <see cref="TryGetResult"/>, and forgets the answer (long runs keep no history).</summary>
    public bool TryTakeResult(ulong messageId, out CallResult result) => ingressResults.Remove(messageId, out result);

    // ---- rounds ----

    public void Tick()
    {
        Round++;
        if (Round % (ulong)Settings.Limits.CheckpointIntervalRounds == 0)
        {
            Checkpoint();
        }

        foreach (var canister in ordered.Values)
        {
            canister.InstallCodeDebt = Math.Max(0, canister.InstallCodeDebt - Settings.Limits.InstallCodeRateLimitPerRound);
            canister.RoundDeltaBytes = 0;
        }

        foreach (var canister in ordered.Values)
        {
            if (canister.Sliced is not null)
            {
                ContinueSliced(canister);
            }
            else
            {
                RunSystemTasks(canister);
            }
        }

        var batch = inbox;
        inbox = [];
        var deferred = new List<SubnetMessage>();
        var heldBack = new HashSet<Principal>();
        foreach (var message in batch)
        {
            if (canisters.TryGetValue(message.Target, out var target) && !CanRun(target, heldBack))
            {
                deferred.Add(message);
                continue;
            }

            Deliver(message);
        }

        foreach (var id in heldBack)
        {
            canisters[id].Metrics.RoundsHeldBack++;
        }

        deferred.AddRange(inbox);
        inbox = deferred;

        foreach (var canister in ordered.Values)
        {
            if (canister.Status == CanisterStatus.Stopping && canister.OpenCallContexts == 0)
            {
                canister.Status = CanisterStatus.Stopped;
                canister.Version++;
            }
        }
    }

    /// <summary>A canister busy with a sliced execution, or over its per-round delta, runs nothing more this round.</summary>
    private bool CanRun(Canister canister, HashSet<Principal> heldBack)
    {
        if (canister.Sliced is not null)
        {
            return false;
        }

        if (canister.RoundDeltaBytes >= Settings.Limits.MaxDeltaBytesPerRound)
        {
            heldBack.Add(canister.Id);
            return false;
        }

        return true;
    }

    /// <summary>A checkpoint: sliced executions in progress are aborted and will restart from the beginning.</summary>
    public void Checkpoint()
    {
        var restarted = new List<SubnetMessage>();
        foreach (var canister in ordered.Values)
        {
            if (canister.Sliced is { } sliced)
            {
                canister.Sliced = null;
                canister.Metrics.SlicedExecutionsAborted++;
                if (sliced.Message is not null)
                {
                    restarted.Add(sliced.Message);
                }
            }
        }

        inbox.InsertRange(0, restarted);
    }

    private void ContinueSliced(Canister canister)
    {
        var sliced = canister.Sliced!;
        canister.Metrics.RoundsBlocked++;
        sliced.SlicesDone++;
        if (sliced.SlicesDone < sliced.SlicesTotal)
        {
            return;
        }

        canister.Sliced = null;
        // A kept run is committed as measured. A trap armed for this canister meanwhile belongs to the
        // run that counts, so then (as for an execution that could not be kept) the body runs again.
        var result = sliced.Kept is { } kept && canister.PendingTrap is null
            ? canister.ResumeExecution(kept)
            : canister.Run(sliced.Work, sliced.StartTimeNanos);
        Finish(canister, sliced.Work, result);
    }

    private void RunSystemTasks(Canister canister)
    {
        if (canister.Module is null || canister.Status != CanisterStatus.Running)
        {
            return;
        }

        var module = canister.Module;
        var code = canister.Code!;
        if (code.HasHeartbeat && !Execute(canister, new Work(ExecutionKind.Heartbeat, "canister_heartbeat", canister.Id, CallOrigin.System, module.Heartbeat)))
        {
            return;
        }

        if (canister.GlobalTimerNanos != 0 && canister.GlobalTimerNanos <= TimeNanos && code.HasGlobalTimer)
        {
            canister.GlobalTimerNanos = 0; // deactivated when it fires, whatever the execution does
            if (!Execute(canister, new Work(ExecutionKind.GlobalTimer, "canister_global_timer", canister.Id, CallOrigin.System, module.GlobalTimer)))
            {
                return;
            }
        }

        foreach (var due in DueTimers(canister))
        {
            if (!canister.Timers.Remove(due.Id, out var timer))
            {
                continue; // cleared by an execution earlier in this round
            }

            if (timer.IsInterval)
            {
                canister.Timers[timer.Id] = timer with { DueNanos = TimeNanos + timer.IntervalNanos };
            }

            if (!Execute(canister, new Work(ExecutionKind.Timer, $"timer {timer.Id}", canister.Id, CallOrigin.System, timer.Callback)))
            {
                return;
            }
        }

        if (canister.LowWasmMemoryHookPending && code.HasOnLowWasmMemory)
        {
            canister.LowWasmMemoryHookPending = false;
            Execute(canister, new Work(ExecutionKind.OnLowWasmMemory, "canister_on_low_wasm_memory", canister.Id, CallOrigin.System, module.OnLowWasmMemory));
        }
    }

    /// <summary>The timers due now, earliest first (ties by id): each fires once in this round.</summary>
    private List<CanisterTimer> DueTimers(Canister canister)
    {
        var due = new List<CanisterTimer>();
        foreach (var timer in canister.Timers.Values)
        {
            if (timer.DueNanos <= TimeNanos)
            {
                due.Add(timer);
            }
        }

        due.Sort((a, b) => a.DueNanos != b.DueNanos ? a.DueNanos.CompareTo(b.DueNanos) : a.Id.CompareTo(b.Id));
        return due;
    }

    /// <summary>
    /// Runs <paramref name="work"/> now: commits or rolls back, or, when it needs more than one slice,
    /// blocks the canister until its last slice. Returns whether the canister may run more this round.
    /// </summary>
    private bool Execute(Canister canister, Work work, SubnetMessage? message = null)
    {
        var armed = canister.PendingTrap;
        var result = canister.Run(work, TimeNanos);
        var slice = work.Kind == ExecutionKind.Query ? long.MaxValue : Settings.Limits.MaxInstructionsPerSlice;
        var slices = (result.InstructionsUsed + slice - 1) / slice;
        if (slices > 1)
        {
            canister.PendingTrap = armed; // an injected trap belongs to the run that counts, the last slice's
            // Deterministic time slicing: the execution completes in its last slice; until then the
            // canister's committed state is as before and it runs nothing else. An install or upgrade that
            // succeeded keeps its effects aside for the last slice (KeptExecution); anything else is undone
            // and runs again then.
            KeptExecution? kept = null;
            if (canister.CanKeepExecution)
            {
                kept = canister.KeepExecution(result);
            }
            else
            {
                canister.RollbackExecution();
            }

            canister.Sliced = new SlicedExecution(work, TimeNanos, slices) { Message = message, Kept = kept };
            return false;
        }

        Finish(canister, work, result);
        return canister.RoundDeltaBytes < Settings.Limits.MaxDeltaBytesPerRound;
    }

    private void Finish(Canister canister, Work work, ExecutionResult result)
    {
        canister.Metrics.Executions++;
        canister.Metrics.InstructionsUsedTotal += result.InstructionsUsed;
        canister.Metrics.LastInstructionsUsed = result.InstructionsUsed;
        Record(canister, new ExecutionRecord(Round, canister.Id, work.Kind, work.Method, result.InstructionsUsed, result.NewlyDirtiedPages, result.Error));
        if (result.Error is { } error)
        {
            canister.Metrics.Traps++;
            canister.RollbackExecution();
            if (work.Install is not null)
            {
                canister.InstallCodeDebt += result.InstructionsUsed; // a failed install costs the subnet just the same
            }

            Answer(canister, work.Origin, CallResult.Rejected(error));
            return;
        }

        foreach (var call in canister.OutgoingCalls)
        {
            var callbackId = 0UL;
            if (call.Then is not null)
            {
                callbackId = ++canister.NextCallbackId;
                var continuation = canister.RecoverableCallbacks ? CallbackRef.TryCapture(call.Then, out _) : null;
                canister.Callbacks.Add(callbackId, new PendingCallback(call.Then, work.Origin, continuation));
            }

            Send(canister, new RequestMessage(canister.Id, callbackId, call.Request.Target, call.Request.Method, call.Request.Arg));
        }

        canister.CommitExecution();
        canister.RoundDeltaBytes += result.HeapDeltaBytes + result.NewlyDirtiedPages * StableOverlay.PageSize;
        if (work.Install is { } install)
        {
            CompleteInstall(canister, install, result);
        }
        else if (work.Kind != ExecutionKind.Query)
        {
            canister.Version++;
        }

        switch (result.Outcome.Kind)
        {
            case OutcomeKind.Reply:
                Answer(canister, work.Origin, CallResult.Replied(result.Outcome.ReplyValue));
                break;
            case OutcomeKind.Done when work.Origin.ExpectsReply && work.Install is null:
                Answer(canister, work.Origin, CallResult.Rejected(new CanisterError(ErrorCode.CanisterDidNotReply,
                    $"Canister {canister.Id} did not produce a response")));
                break;
        }

        CheckLowWasmMemory(canister);
    }

    private void CheckLowWasmMemory(Canister canister)
    {
        if (canister.WasmMemoryThresholdBytes <= 0)
        {
            return;
        }

        var low = canister.WasmMemoryLimitBytes - canister.Heap.SizeBytes < canister.WasmMemoryThresholdBytes;
        if (low && canister.LowWasmMemoryHookArmed)
        {
            canister.LowWasmMemoryHookArmed = false;
            canister.LowWasmMemoryHookPending = true;
        }
        else if (!low)
        {
            canister.LowWasmMemoryHookArmed = true;
        }
    }

    /// <summary>Answers a call context; <paramref name="by"/> is the canister answering (its round output collects the answer in a split round).</summary>
    private void Answer(Canister? by, CallOrigin origin, CallResult result)
    {
        if (origin.IngressId != 0)
        {
            Reply(by, origin.IngressId, result);
        }
        else if (origin.CallbackId != 0)
        {
            Send(by, new ResponseMessage(origin.CallerCanister, origin.CallbackId, result));
        }
    }
}
