using System.Diagnostics.CodeAnalysis;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// The system API (ic0) of one execution: stable memory, heap, time, caller, timers, calls, trap,
/// the instruction counter and the log. It is also an <see cref="IMemory"/> over the execution's view
/// of stable memory, metered like <c>stable64_*</c>, so stable structures run on it directly.
/// </summary>
/// <remarks>
/// A trap is final: once raised, every later call raises the same trap again, so module code that
/// catches it cannot continue in any useful way, and the engine treats the execution as trapped anyway.
/// </remarks>
public sealed class Ic0 : IMemory, IHeapMeter
{
    private readonly Canister canister;
    private readonly Transaction tx;
    private readonly SubnetSettings settings;
    private readonly long dirtyPageCost;
    private long instructionLimit;
    private long dirtyPageLimit;
    private bool enforceWasmMemoryLimit;
    private CanisterTrap? trap;
    private Heap heap = null!;

    internal Ic0(Canister canister, Transaction tx, SubnetSettings settings)
    {
        this.canister = canister;
        this.tx = tx;
        this.settings = settings;
        dirtyPageCost = settings.Costs.StableDirtyPage;
    }

    internal void Begin(ExecutionKind kind, string method, Principal caller, ulong timeNanos)
    {
        Kind = kind;
        Method = method;
        Caller = caller;
        TimeNanos = timeNanos;
        trap = null;
        meteringSuspended = 0;
        InstructionsUsed = 0;
        Log = null;
        var limits = settings.Limits;
        (instructionLimit, dirtyPageLimit) = kind switch
        {
            ExecutionKind.Query => (limits.MaxInstructionsPerQuery, limits.MaxDirtyStableBytesPerUpdate / StableOverlay.PageSize),
            ExecutionKind.Init or ExecutionKind.Upgrade => (limits.MaxInstructionsPerInstallCode, limits.MaxDirtyStableBytesPerInstallCode / StableOverlay.PageSize),
            _ => (limits.MaxInstructionsPerUpdate, limits.MaxDirtyStableBytesPerUpdate / StableOverlay.PageSize),
        };
        enforceWasmMemoryLimit = kind is ExecutionKind.Update or ExecutionKind.Init or ExecutionKind.Response;
        heap = tx.Heap;
        heap.Meter = this;
    }

    /// <summary>Upgrade: pre_upgrade is done; the new module starts on a fresh heap, where wasm_memory_limit applies.</summary>
    internal void SwitchToFreshHeap()
    {
        heap.Meter = null;
        heap = tx.UpgradedHeap = new Heap();
        heap.Meter = this;
        enforceWasmMemoryLimit = true;
    }

    internal void End()
    {
        heap.Meter = null;
        tx.Heap.Meter = null;
    }

    internal CanisterTrap? Trapped => trap;

    public ExecutionKind Kind { get; private set; }

    /// <summary>The method or hook running (<c>canister_heartbeat</c>, <c>transfer</c>, …).</summary>
    public string Method { get; private set; } = "";

    public Principal Caller { get; private set; }

    public Principal Self => canister.Id;

    /// <summary>ic0.is_controller: whether <paramref name="principal"/> controls this canister.</summary>
    public bool IsController(Principal principal)
    {
        Charge(settings.Costs.CheapSystemCall);
        return canister.IsController(principal);
    }

    /// <summary>What the host attached to this canister (<see cref="Canister.HostContext"/>), for code that reports to it; null on a bare engine. Reading it charges nothing.</summary>
    public object? HostContext => canister.HostContext;

    /// <summary>The limits this subnet runs executions under (slice size, budgets), for code that plans its own work.</summary>
    public ExecutionLimits Limits => settings.Limits;

    /// <summary>ic0.time: nanoseconds since the epoch; moves only when the subnet's clock is advanced.</summary>
    public ulong TimeNanos { get; private set; }

    /// <summary>ic0.canister_version: the version before this execution's own increment.</summary>
    public ulong CanisterVersion => canister.Version;

    /// <summary>ic0.performance_counter(0): instructions used so far (in an upgrade, by pre_upgrade and post_upgrade together).</summary>
    public long InstructionCounter
    {
        get
        {
            Charge(settings.Costs.CheapSystemCall);
            return InstructionsUsed;
        }
    }

    internal long InstructionsUsed { get; private set; }

    internal List<string>? Log { get; private set; }

    /// <summary>The heap of the running module. Its containers meter every operation against this execution.</summary>
    public Heap Heap
    {
        get
        {
            ThrowIfTrapped();
            return heap;
        }
    }

    /// <summary>This execution's stable memory as an <see cref="IMemory"/> (metered); give it to stable structures.</summary>
    public IMemory StableMemory => this;

    // ---- instructions and traps ----

    /// <summary>Charges Wasm work the module does outside the system API and containers (computation, loops).</summary>
    public void ChargeWasm(long instructions) => Charge(instructions);

    /// <summary>Charges serializing <paramref name="bytes"/> of heap state (Candid) and holds the output on the heap meanwhile.</summary>
    public void ChargeSerialization(long bytes) => heap.ChargeSerialization(bytes);

    /// <summary>The cost model this execution is metered by.</summary>
    public CostModel Costs => settings.Costs;

    public void Charge(long instructions)
    {
        ThrowIfTrapped();
        if (meteringSuspended > 0)
        {
            return;
        }

        InstructionsUsed += instructions;
        if (InstructionsUsed > instructionLimit)
        {
            InstructionsUsed = instructionLimit; // the Wasm instance stops at the limit
            Raise(new CanisterError(ErrorCode.CanisterInstructionLimitExceeded,
                $"Canister exceeded the limit of {instructionLimit} instructions for single message execution."));
        }
    }

    CostModel IHeapMeter.Costs => settings.Costs;

    private int meteringSuspended;

    void IHeapMeter.SuspendMetering() => meteringSuspended++;

    void IHeapMeter.ResumeMetering() => meteringSuspended--;

    void IHeapMeter.OnHeapGrown(long heapSizeBytes)
    {
        var limits = settings.Limits;
        if (heapSizeBytes > limits.MaxHeapBytes)
        {
            Raise(new CanisterError(ErrorCode.CanisterTrapped,
                $"Canister trapped: memory allocation failed: the Wasm heap would grow to {heapSizeBytes} bytes, beyond its maximum of {limits.MaxHeapBytes} bytes"));
        }

        if (enforceWasmMemoryLimit && heapSizeBytes > canister.WasmMemoryLimitBytes)
        {
            Raise(new CanisterError(ErrorCode.CanisterWasmMemoryLimitExceeded,
                $"Canister exceeded its current Wasm memory limit of {canister.WasmMemoryLimitBytes} bytes. " +
                $"The peak Wasm memory usage was {heapSizeBytes} bytes. It might be necessary to move data from the Wasm memory to the stable memory."));
        }
    }

    /// <summary>ic0.trap: ends the execution; everything it changed is discarded.</summary>
    [DoesNotReturn]
    public void Trap(string message) =>
        Raise(new CanisterError(ErrorCode.CanisterCalledTrap, $"Canister called `ic0.trap` with message: '{message}'"));

    /// <summary>Raises an injected fault the way the execution would have met it (see <see cref="InjectedTrap"/>).</summary>
    internal void RaiseInjected(InjectedTrap kind)
    {
        switch (kind)
        {
            case InjectedTrap.InstructionLimit:
                Charge(instructionLimit + 1);
                break;
            case InjectedTrap.MemoryLimit:
                ((IHeapMeter)this).OnHeapGrown(enforceWasmMemoryLimit ? canister.WasmMemoryLimitBytes + 1 : settings.Limits.MaxHeapBytes + 1);
                break;
        }

        Trap("injected fault: the fuzzer armed a trap for this execution");
    }

    [DoesNotReturn]
    internal void Raise(CanisterError error)
    {
        trap ??= new CanisterTrap(error);
        throw trap;
    }

    internal void ThrowIfTrapped()
    {
        if (trap is not null)
        {
            throw trap;
        }
    }

    /// <summary>ic0.debug_print: kept in the canister log, also when the execution traps.</summary>
    public void Print(string line)
    {
        Charge(settings.Costs.CheapSystemCall + line.Length);
        (Log ??= []).Add(line);
    }

    // ---- stable memory (ic0.stable64_*) ----

    public ulong StableSize()
    {
        Charge(settings.Costs.StableSize);
        return tx.Stable.Size;
    }

    public long StableGrow(ulong pages)
    {
        Charge(settings.Costs.WasmInstructionsPerSystemCall + settings.Costs.StableGrow);
        return tx.Stable.Grow(pages);
    }

    public void StableRead(ulong offset, Span<byte> destination)
    {
        var costs = settings.Costs;
        Charge(costs.WasmInstructionsPerSystemCall + costs.StableReadBase + costs.StableInstructionsPerByte * destination.Length);
        CheckStableBounds(offset, destination.Length);
        tx.Stable.Read(offset, destination);
    }

    public void StableWrite(ulong offset, ReadOnlySpan<byte> source)
    {
        var costs = settings.Costs;
        Charge(costs.WasmInstructionsPerSystemCall + costs.StableWriteBase + costs.StableInstructionsPerByte * source.Length);
        CheckStableBounds(offset, source.Length);
        var newPages = tx.Stable.PagesNewlyDirtiedBy(offset, source.Length);
        if (newPages > 0)
        {
            if (tx.Stable.NewlyDirtiedPages + newPages > dirtyPageLimit)
            {
                Raise(new CanisterError(ErrorCode.CanisterMemoryAccessLimitExceeded,
                    "Canister exceeded memory access limits: Exceeded the limit for the number of modified pages in the stable memory in a single message execution: " +
                    $"limit: {dirtyPageLimit * StableOverlay.PageSize / 1024} KB."));
            }

            Charge(dirtyPageCost * newPages);
        }

        tx.Stable.Write(offset, source);
    }

    private void CheckStableBounds(ulong offset, int length)
    {
        var end = offset + (ulong)length;
        if (end < offset || end > WasmPage.ToBytes(tx.Stable.Size))
        {
            Raise(new CanisterError(ErrorCode.CanisterTrapped, "Canister trapped: stable memory out of bounds"));
        }
    }

    /// <summary>
    /// Virtual memory <paramref name="id"/> of <paramref name="manager"/>, metered for the address
    /// translation the MemoryManager does in Wasm on every access (on top of the stable memory calls).
    /// </summary>
    public IMemory VirtualMemory(MemoryManager manager, int id) =>
        new MeteredMemory(this, manager.Get(id), new StructureCosts { PerRead = settings.Costs.VirtualMemoryInstructionsPerAccess, PerWrite = settings.Costs.VirtualMemoryInstructionsPerAccess });

    ulong IMemory.Size => StableSize();

    long IMemory.Grow(ulong pages) => StableGrow(pages);

    void IMemory.Read(ulong offset, Span<byte> destination) => StableRead(offset, destination);

    void IMemory.Write(ulong offset, ReadOnlySpan<byte> source) => StableWrite(offset, source);

    /// <summary>
    /// <paramref name="memory"/> as seen by a stable structure with <paramref name="costs"/>: each read
    /// and write also charges the Wasm work the structure does around it (decoding and encoding).
    /// Charge its per-operation costs with <see cref="ChargeWasm"/>.
    /// </summary>
    public IMemory ForStructure(IMemory memory, StructureCosts costs) => new MeteredMemory(this, memory, costs);

    // ---- timers ----

    /// <summary>A one-shot timer firing <paramref name="delay"/> from now, as its own execution.</summary>
    /// <remarks>On a durable host the callback must be recoverable (<see cref="Canister.RequireRecoverableCallbacks"/>):
    /// a static method, a method of the module, or a lambda that captures nothing; anything else traps here.</remarks>
    public ulong SetTimer(TimeSpan delay, Func<Ic0, Outcome> callback) => AddTimer(delay, TimeSpan.Zero, callback, callback);

    public ulong SetTimer(TimeSpan delay, Action<Ic0> callback) => AddTimer(delay, TimeSpan.Zero, ic => { callback(ic); return Outcome.Done; }, callback);

    /// <summary>An interval timer firing every <paramref name="interval"/>, each time as its own execution.</summary>
    public ulong SetTimerInterval(TimeSpan interval, Func<Ic0, Outcome> callback)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "an interval timer needs a positive interval");
        }

        return AddTimer(interval, interval, callback, callback);
    }

    public ulong SetTimerInterval(TimeSpan interval, Action<Ic0> callback)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "an interval timer needs a positive interval");
        }

        return AddTimer(interval, interval, ic => { callback(ic); return Outcome.Done; }, callback);
    }

    public bool ClearTimer(ulong timerId)
    {
        Charge(settings.Costs.WasmInstructionsPerSystemCall);
        return tx.WritableTimers(canister).Remove(timerId);
    }

    private ulong AddTimer(TimeSpan delay, TimeSpan interval, Func<Ic0, Outcome> callback, Delegate written)
    {
        Charge(settings.Costs.WasmInstructionsPerSystemCall);
        CallbackRef? recoverable = null;
        if (canister.RecoverableCallbacks && (recoverable = CallbackRef.TryCapture(written, out var whyNot)) is null)
        {
            Raise(new CanisterError(ErrorCode.CanisterContractViolation,
                $"Canister {canister.Id} set a timer whose callback cannot be recovered after a crash: {whyNot}. " +
                "A durable subnet recovers timers whose callback is a static method, a method of the module or a lambda that captures nothing; " +
                "keep the timer's data in the heap or in stable memory"));
        }

        var id = ++tx.NextTimerId;
        var due = TimeNanos + (ulong)Math.Max(0, delay.Ticks) * 100;
        tx.WritableTimers(canister).Add(id, new CanisterTimer(id, due, (ulong)interval.Ticks * 100, callback) { Recoverable = recoverable });
        return id;
    }

    /// <summary>ic0.global_timer_set: fires <c>canister_global_timer</c> at <paramref name="timestampNanos"/> (0 deactivates); returns the previous value.</summary>
    public ulong SetGlobalTimer(ulong timestampNanos)
    {
        Charge(settings.Costs.CheapSystemCall);
        var previous = tx.GlobalTimerNanos;
        tx.GlobalTimerNanos = timestampNanos;
        tx.GlobalTimerChanged = true;
        return previous;
    }

    // ---- calls ----

    /// <summary>Describes a call to await with <see cref="Outcome.Await"/>.</summary>
    public CallRequest Call(Principal target, string method, object? arg = null)
    {
        Charge(settings.Costs.WasmInstructionsPerSystemCall);
        return new CallRequest(target, method, arg);
    }

    /// <summary>A one-way call: sent when this execution commits; its response is ignored.</summary>
    public void Notify(Principal target, string method, object? arg = null)
    {
        Charge(settings.Costs.WasmInstructionsPerSystemCall);
        tx.Calls.Add(new OutgoingCall(new CallRequest(target, method, arg), null));
    }

    internal void AddAwaitedCall(CallRequest request, Func<Ic0, CallResult, Outcome> then) =>
        tx.Calls.Add(new OutgoingCall(request, then));
}
