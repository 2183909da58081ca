using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// Bringing a subnet back from durable state (the actor layer's journal): canisters restored as of
/// their last durable round, and the clock restored past every one of them.
/// </summary>
/// <remarks>
/// Order: <see cref="RestoreCanister"/>, then per canister <see cref="RestoreHeap"/>,
/// <see cref="RestoreTimers"/>, <see cref="RestoreCallContexts"/>, <see cref="RestoreExecutionState"/>;
/// once all are back, <see cref="RestoreClock"/> and <see cref="RejectLostCalls"/>.
/// </remarks>
public sealed partial class Subnet
{
    /// <summary>
    /// Adds canister <paramref name="id"/> as it was durably recorded: module, version, status,
    /// controllers, memory settings, global timer and stable memory. Its heap starts empty and it has
    /// no timers and no open call contexts until the other Restore methods give them back.
    /// </summary>
    public Canister RestoreCanister(
        Principal id,
        IEnumerable<Principal> controllers,
        CanisterModule? module,
        ulong version,
        CanisterStatus status,
        IMemory stableMemory,
        long wasmMemoryLimitBytes,
        long wasmMemoryThresholdBytes,
        ulong globalTimerNanos)
    {
        var canister = new Canister(id, controllers, Settings)
        {
            Module = module,
            Code = module is null ? null : ModuleCode.Of(module),
            Version = version,
            Status = status == CanisterStatus.Stopping ? CanisterStatus.Stopped : status, // no call context survives
            StableMemory = stableMemory,
            WasmMemoryLimitBytes = wasmMemoryLimitBytes,
            WasmMemoryThresholdBytes = wasmMemoryThresholdBytes,
            GlobalTimerNanos = globalTimerNanos,
        };
        if (!canisters.TryAdd(id, canister))
        {
            throw new InvalidOperationException($"canister {id} already exists on this subnet");
        }

        ordered.Add(id, canister);

        nextCanister++;
        return canister;
    }

    /// <summary>The heap from its durable image (<see cref="Heap.FromImage"/>): containers decode when module code opens them.</summary>
    public void RestoreHeap(Principal id, ReadOnlyMemory<byte> image) => this[id].Heap = Heap.FromImage(image);

    /// <summary>The timers, each callback bound again to this process's code (on the canister's module where it is a module method).</summary>
    /// <exception cref="CallbackBindException">A callback's method is not in this build.</exception>
    public void RestoreTimers(Principal id, ulong nextTimerId, IEnumerable<DurableTimer> timers)
    {
        var canister = this[id];
        var table = new SortedDictionary<ulong, CanisterTimer>();
        foreach (var timer in timers)
        {
            table.Add(timer.Id, new CanisterTimer(timer.Id, timer.DueNanos, timer.IntervalNanos, timer.Callback.BindTimer(canister.Module))
            {
                Recoverable = timer.Callback,
            });
        }

        canister.Timers = table;
        canister.NextTimerId = nextTimerId;
    }

    /// <summary>Counters of the execution model a durable record keeps: install_code rate-limit debt, the low-memory hook's state and the metrics' totals.</summary>
    public void RestoreExecutionState(Principal id, long installCodeDebt, bool lowWasmMemoryHookArmed, bool lowWasmMemoryHookPending, MetricTotals metrics = default)
    {
        var canister = this[id];
        canister.Metrics.Restore(metrics);
        canister.InstallCodeDebt = installCodeDebt;
        canister.LowWasmMemoryHookArmed = lowWasmMemoryHookArmed;
        canister.LowWasmMemoryHookPending = lowWasmMemoryHookPending;
    }

    /// <summary>
    /// The open call contexts. Their calls died with the crashed process (requests and responses in
    /// flight are not durable), so each is answered by <see cref="RejectLostCalls"/> with
    /// <see cref="ErrorCode.CallLostInCrash"/>: a continuation with a <see cref="CallbackRef"/> runs with
    /// that reject, as after any failed call; one without (a closure) cannot run, and its call context is
    /// closed by rejecting its own caller the same way. Ingress that was waiting belonged to the
    /// crashed process, so those contexts answer nobody.
    /// </summary>
    public void RestoreCallContexts(Principal id, ulong nextCallbackId, IEnumerable<DurableCallContext> contexts)
    {
        var canister = this[id];
        canister.NextCallbackId = nextCallbackId;
        foreach (var context in contexts)
        {
            var origin = context.OriginCanister is { } caller && context.OriginCallbackId != 0
                ? CallOrigin.Canister(caller, context.OriginCallbackId)
                : CallOrigin.System;
            Func<Ic0, CallResult, Outcome> then;
            try
            {
                then = context.Continuation?.BindContinuation(canister.Module) ?? LostContinuation(canister.Id, context.CallbackId);
            }
            catch (CallbackBindException)
            {
                then = LostContinuation(canister.Id, context.CallbackId);
            }

            canister.Callbacks[context.CallbackId] = new PendingCallback(then, origin, context.Continuation);
            lostCalls.Add((canister.Id, context.CallbackId));
        }
    }

    private readonly List<(Principal Canister, ulong CallbackId)> lostCalls = [];

    private static Func<Ic0, CallResult, Outcome> LostContinuation(Principal canister, ulong callbackId) =>
        (ic, _) =>
        {
            ic.Raise(new CanisterError(ErrorCode.CallLostInCrash,
                $"Canister {canister} lost the continuation of its call (callback {callbackId}) in a crash of the host: it was a closure, which no durable record keeps"));
            return Outcome.Done;
        };

    /// <summary>
    /// Queues, for every restored open call context, its call's reject (<see cref="ErrorCode.CallLostInCrash"/>),
    /// in canister then callback order, so callers never wait for an answer that died with the process.
    /// Returns how many calls were rejected.
    /// </summary>
    public int RejectLostCalls()
    {
        lostCalls.Sort((a, b) => a.Canister != b.Canister ? a.Canister.CompareTo(b.Canister) : a.CallbackId.CompareTo(b.CallbackId));
        foreach (var (canister, callbackId) in lostCalls)
        {
            inbox.Add(new ResponseMessage(canister, callbackId, CallResult.Rejected(new CanisterError(ErrorCode.CallLostInCrash,
                $"the call of canister {canister} (callback {callbackId}) was lost when the host process crashed; its response never came"))));
        }

        var count = lostCalls.Count;
        lostCalls.Clear();
        return count;
    }

    /// <summary>Sets the round counter and the clock after a recovery (both only move forward).</summary>
    public void RestoreClock(ulong round, ulong timeNanos)
    {
        Round = Math.Max(Round, round);
        TimeNanos = Math.Max(TimeNanos, timeNanos);
    }
}
