using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// A canister's committed state: its module, heap, stable memory, version, status, controllers,
/// timers and open call contexts. Executions change it only through a <see cref="Transaction"/>.
/// </summary>
public sealed class Canister
{
    private readonly Transaction tx = new();
    private readonly Ic0 ic;
    private readonly SubnetSettings settings;
    private readonly List<Principal> controllers;

    internal Canister(Principal id, IEnumerable<Principal> controllers, SubnetSettings settings)
    {
        Id = id;
        this.settings = settings;
        this.controllers = [.. controllers];
        StableMemory = NewStableMemory();
        WasmMemoryLimitBytes = settings.Limits.DefaultWasmMemoryLimitBytes;
        WasmMemoryThresholdBytes = settings.Limits.DefaultWasmMemoryThresholdBytes;
        ic = new Ic0(this, tx, settings);
    }

    public Principal Id { get; }

    public IReadOnlyList<Principal> Controllers => controllers;

    public CanisterModule? Module { get; internal set; }

    internal ModuleCode? Code { get; set; }

    public Heap Heap { get; internal set; } = new();

    public IMemory StableMemory { get; internal set; }

    /// <summary>canister_version: counts installs, settings and status changes, and committed update-like executions.</summary>
    public ulong Version { get; internal set; }

    public CanisterStatus Status { get; internal set; }

    public long WasmMemoryLimitBytes { get; internal set; }

    public long WasmMemoryThresholdBytes { get; internal set; }

    public CanisterMetrics Metrics { get; } = new();

    public IReadOnlyDictionary<ulong, CanisterTimer> TimerTable => Timers;

    internal SortedDictionary<ulong, CanisterTimer> Timers { get; set; } = [];

    public ulong NextTimerId { get; internal set; }

    /// <summary>The global timer's deadline in nanoseconds, 0 when inactive.</summary>
    public ulong GlobalTimerNanos { get; internal set; }

    internal Dictionary<ulong, PendingCallback> Callbacks { get; } = [];

    public ulong NextCallbackId { get; internal set; }

    /// <summary>Instructions of recent installs not yet recovered (install_code rate limit).</summary>
    public long InstallCodeDebt { get; internal set; }

    internal long RoundDeltaBytes { get; set; }

    public bool LowWasmMemoryHookArmed { get; internal set; } = true;

    public bool LowWasmMemoryHookPending { get; internal set; }

    internal SlicedExecution? Sliced { get; set; }

    internal Dictionary<ulong, CanisterSnapshot> Snapshots { get; } = [];

    internal ulong NextSnapshotId { get; set; }

    public List<string> Log { get; } = [];

    /// <summary>
    /// Something the host attached for code that reports to it (the migration proxy's routing counters);
    /// executions see it as <see cref="Ic0.HostContext"/>. Never module state: it is not rolled back by a
    /// trap nor discarded by an upgrade, and the engine itself ignores it.
    /// </summary>
    public object? HostContext { get; set; }

    /// <summary>Open call contexts: awaited calls whose continuation has not run yet.</summary>
    public int OpenCallContexts => Callbacks.Count;

    public bool IsBlockedBySlicedExecution => Sliced is not null;

    /// <summary>Stable memory size in bytes.</summary>
    public ulong StableMemoryBytes => WasmPage.ToBytes(StableMemory.Size);

    /// <summary>Set by <see cref="RequireRecoverableCallbacks"/>: timers must be recoverable, continuations are recorded.</summary>
    internal bool RecoverableCallbacks { get; private set; }

    /// <summary>
    /// For a durable host: from now on a timer whose callback cannot be bound again after a crash (a
    /// lambda that captured variables) traps at <c>SetTimer</c>, and every timer and awaited call records
    /// its callback's <see cref="CallbackRef"/> (continuations without one are answered as lost on recovery).
    /// </summary>
    public void RequireRecoverableCallbacks() => RecoverableCallbacks = true;

    /// <summary>The open call contexts as a durable record holds them, by callback id.</summary>
    public List<DurableCallContext> DurableCallContexts()
    {
        var contexts = new List<DurableCallContext>(Callbacks.Count);
        foreach (var (callbackId, callback) in Callbacks)
        {
            var origin = callback.Origin;
            contexts.Add(new DurableCallContext(callbackId, origin.IngressId,
                origin.CallbackId == 0 ? null : origin.CallerCanister, origin.CallbackId, callback.Continuation));
        }

        contexts.Sort((a, b) => a.CallbackId.CompareTo(b.CallbackId));
        return contexts;
    }

    public bool IsController(Principal principal) => controllers.Contains(principal);

    /// <summary>The fault armed for the next update-like execution, if any (fault injection for fuzzing).</summary>
    public InjectedTrap? PendingTrap { get; internal set; }

    /// <summary>Arms <paramref name="kind"/>: the next update-like execution of this canister traps with it.</summary>
    public void InjectTrap(InjectedTrap kind) => PendingTrap = kind;

    internal void SetControllers(IEnumerable<Principal> principals)
    {
        controllers.Clear();
        controllers.AddRange(principals);
    }

    internal IMemory NewStableMemory() => new SparseMemory(NewStableMemoryMaxPages);

    internal ulong NewStableMemoryMaxPages => settings.Limits.MaxStableMemoryPages;

    /// <summary>
    /// Runs <paramref name="work"/> on a fresh transaction and leaves it open: the subnet then calls
    /// <see cref="CommitExecution"/> or <see cref="RollbackExecution"/>.
    /// </summary>
    internal ExecutionResult Run(Work work, ulong timeNanos)
    {
        tx.Begin(this, settings.Limits.MaxStableMemoryPages);
        if (work.WipesStableMemory)
        {
            tx.ReplacementStableMemory = NewStableMemory();
            tx.Stable.Open(tx.ReplacementStableMemory, settings.Limits.MaxStableMemoryPages);
        }

        if (work.Kind is ExecutionKind.Init or ExecutionKind.Upgrade)
        {
            tx.TimersCleared = true;
            tx.Timers = [];
            tx.GlobalTimerNanos = 0;
        }

        ic.Begin(work.Kind, work.Method, work.Caller, timeNanos);
        var outcome = Outcome.Done;
        CanisterError? error = null;
        try
        {
            ic.Charge(settings.Costs.ExecutionBase);
            if (PendingTrap is { } injected && work.Kind != ExecutionKind.Query)
            {
                PendingTrap = null;
                ic.RaiseInjected(injected);
            }

            outcome = work.Body(ic);
            ic.ThrowIfTrapped();
            if (outcome.Kind == OutcomeKind.Await)
            {
                ic.AddAwaitedCall(outcome.Call!, outcome.Then!);
            }
        }
        catch (CanisterTrap trap)
        {
            error = trap.Error;
        }
        catch (Exception panic)
        {
            // A caught-and-swallowed trap still wins; otherwise a .NET exception is a Rust panic, which calls ic0.trap.
            error = ic.Trapped?.Error ?? new CanisterError(ErrorCode.CanisterCalledTrap,
                $"Canister called `ic0.trap` with message: 'Panicked at {panic.GetType().Name}: {panic.Message}'");
        }
        finally
        {
            ic.End();
        }

        if (ic.Log is { } lines)
        {
            Log.AddRange(lines);
        }

        lastRunFailed = error is not null;
        var heapDelta = (tx.UpgradedHeap?.DeltaBytes ?? 0) + tx.Heap.DeltaBytes - tx.HeapMark.DeltaBytes;
        return new ExecutionResult(outcome, error, ic.InstructionsUsed, tx.Stable.NewlyDirtiedPages, heapDelta);
    }

    /// <summary>The calls the open transaction made, in order (read before committing it).</summary>
    internal List<OutgoingCall> OutgoingCalls => tx.Calls;

    internal void CommitExecution()
    {
        tx.Commit(this);
        Heap.TakeDelta();
    }

    internal void RollbackExecution() => tx.Rollback(lastRunFailed);

    /// <summary>Whether the open execution can be kept for its last slice (<see cref="KeepExecution"/>): it did not trap and ended on a fresh heap.</summary>
    internal bool CanKeepExecution => !lastRunFailed && tx.CanKeep;

    /// <summary>Holds the open execution's effects aside; the committed state is as before (see <see cref="KeptExecution"/>).</summary>
    internal KeptExecution KeepExecution(ExecutionResult result) => tx.Keep(result);

    /// <summary>Reopens a kept execution so that the subnet commits it as if it had just run.</summary>
    internal ExecutionResult ResumeExecution(KeptExecution kept)
    {
        tx.Resume(this, kept);
        lastRunFailed = false;
        return kept.Result;
    }

    /// <summary>Whether the execution <see cref="Run"/> left open trapped.</summary>
    private bool lastRunFailed;

    /// <summary>Set while a split round's step runs on this canister (see <see cref="Subnet.BeginRound"/>).</summary>
    internal RoundOutput? Output { get; set; }

    private HashSet<ulong>? committedPages;
    private IMemory? deltaBase;

    /// <summary>
    /// Starts recording which 4 KiB stable pages committed executions write, for a host that persists
    /// each round's delta (<see cref="TakeStableDelta"/>). Off by default: the bare engine pays nothing.
    /// </summary>
    public void TrackStableDeltas()
    {
        committedPages ??= [];
        deltaBase = StableMemory;
    }

    internal void NoteCommittedPages(Dictionary<ulong, StableOverlay.DirtyPage>.KeyCollection pages)
    {
        if (committedPages is not null)
        {
            foreach (var page in pages) // the struct enumerator: no allocation per commit
            {
                committedPages.Add(page);
            }
        }
    }

    /// <summary>
    /// The stable pages changed since the last call, ascending. When stable memory was replaced
    /// meanwhile (install, reinstall, uninstall, snapshot load) the delta is a reset followed by every
    /// non-zero page of the new memory.
    /// </summary>
    public StableDelta TakeStableDelta()
    {
        if (committedPages is null)
        {
            throw new InvalidOperationException($"canister {Id} does not track stable deltas; call TrackStableDeltas first");
        }

        StableDelta delta;
        if (!ReferenceEquals(deltaBase, StableMemory))
        {
            var all = new List<ulong>();
            var page = new byte[StableOverlay.PageSize];
            var pages = StableMemoryBytes / StableOverlay.PageSize;
            for (ulong index = 0; index < pages; index++)
            {
                StableMemory.Read(index * StableOverlay.PageSize, page);
                if (page.AsSpan().IndexOfAnyExcept((byte)0) >= 0)
                {
                    all.Add(index);
                }
            }

            delta = new StableDelta(true, [.. all]);
            deltaBase = StableMemory;
        }
        else
        {
            var changed = committedPages.ToArray();
            Array.Sort(changed);
            delta = new StableDelta(false, changed);
        }

        committedPages.Clear();
        return delta;
    }
}

/// <summary>Stable pages (4 KiB indexes) changed since the last take; <paramref name="Reset"/>: the memory was replaced first.</summary>
public sealed record StableDelta(bool Reset, ulong[] Pages);
