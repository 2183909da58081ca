namespace ActorMigrate.Canisters;

/// <summary>
/// Everything one execution changes, committed together or discarded together: the stable-memory
/// overlay, the heap's undo log (and, in an upgrade, the new module's fresh heap), the timers and the
/// global timer, the calls made and the reply. Reused across a canister's executions, so the hot
/// path allocates little.
/// </summary>
internal sealed class Transaction
{
    public StableOverlay Stable = new();
    public readonly List<OutgoingCall> Calls = [];

    /// <summary>An overlay ready to replace <see cref="Stable"/> when a kept execution takes it away.</summary>
    private StableOverlay? spareStable;

    public Heap Heap = null!;
    public Heap.Mark HeapMark;
    public Heap? UpgradedHeap;

    /// <summary>Install and reinstall start from empty stable memory; it replaces the canister's on commit.</summary>
    public StableMemory.IMemory? ReplacementStableMemory;

    /// <summary>The timer table as this execution left it; null while unchanged (copy-on-write).</summary>
    public SortedDictionary<ulong, CanisterTimer>? Timers;
    public ulong NextTimerId;
    public ulong GlobalTimerNanos;
    public bool GlobalTimerChanged;
    public bool TimersCleared;

    public void Begin(Canister canister, ulong maxStablePages)
    {
        Stable.Open(canister.StableMemory, maxStablePages);
        Heap = canister.Heap;
        HeapMark = Heap.Begin();
        UpgradedHeap = null;
        ReplacementStableMemory = null;
        Timers = null;
        NextTimerId = canister.NextTimerId;
        GlobalTimerNanos = canister.GlobalTimerNanos;
        GlobalTimerChanged = false;
        TimersCleared = false;
        Calls.Clear();
    }

    /// <summary>The timer table for writing: the canister's, copied on first change.</summary>
    public SortedDictionary<ulong, CanisterTimer> WritableTimers(Canister canister) =>
        Timers ??= TimersCleared ? [] : new SortedDictionary<ulong, CanisterTimer>(canister.Timers);

    public void Commit(Canister canister)
    {
        canister.NoteCommittedPages(Stable.DirtyPageIndexes);
        Stable.Commit();
        if (ReplacementStableMemory is not null)
        {
            canister.StableMemory = ReplacementStableMemory;
        }

        Heap.Commit();
        if (UpgradedHeap is not null)
        {
            UpgradedHeap.Commit();
            canister.Heap = UpgradedHeap;
        }

        if (Timers is not null)
        {
            canister.Timers = Timers;
        }

        canister.NextTimerId = NextTimerId;
        canister.GlobalTimerNanos = GlobalTimerNanos;
    }

    /// <param name="failed">The execution trapped (the module's thread-locals may be half-changed).</param>
    public void Rollback(bool failed)
    {
        Heap.RollbackLocals(failed || Stable.HasChanges || Heap.UndoLength > HeapMark.UndoLength);
        Stable.Drop();
        Heap.RollbackTo(HeapMark);
        UpgradedHeap = null;
        Timers = null;
        Calls.Clear();
    }

    /// <summary>Whether <see cref="Keep"/> can hold this execution's effects: it ended on a fresh heap (install, upgrade).</summary>
    public bool CanKeep => UpgradedHeap is not null;

    /// <summary>
    /// Takes this (successful) execution's effects out of the transaction and rolls the committed heap back
    /// as <see cref="Rollback"/> does — the committed heap is what the old module had, and an install or
    /// upgrade replaces it anyway; the canister's committed state is as before until <see cref="Resume"/>.
    /// </summary>
    public KeptExecution Keep(ExecutionResult result)
    {
        var kept = new KeptExecution
        {
            Stable = Stable,
            UpgradedHeap = UpgradedHeap ?? throw new InvalidOperationException("only an execution that switched to a fresh heap can be kept"),
            ReplacementStableMemory = ReplacementStableMemory,
            Timers = Timers,
            NextTimerId = NextTimerId,
            GlobalTimerNanos = GlobalTimerNanos,
            GlobalTimerChanged = GlobalTimerChanged,
            TimersCleared = TimersCleared,
            Calls = [.. Calls],
            Result = result,
        };
        Heap.RollbackLocals(Stable.HasChanges || Heap.UndoLength > HeapMark.UndoLength);
        Stable = spareStable ?? new StableOverlay();
        spareStable = null;
        Heap.RollbackTo(HeapMark);
        UpgradedHeap = null;
        ReplacementStableMemory = null;
        Timers = null;
        Calls.Clear();
        return kept;
    }

    /// <summary>
    /// Reopens the transaction with <paramref name="kept"/>'s effects, for the subnet to commit in the kept
    /// execution's last slice. The canister ran nothing but queries since (which commit nothing), so the
    /// committed state under the kept overlay is the one it was measured on.
    /// </summary>
    public void Resume(Canister canister, KeptExecution kept)
    {
        Heap = canister.Heap;
        HeapMark = Heap.Begin();
        spareStable = Stable;
        Stable = kept.Stable;
        UpgradedHeap = kept.UpgradedHeap;
        ReplacementStableMemory = kept.ReplacementStableMemory;
        Timers = kept.Timers;
        NextTimerId = kept.NextTimerId;
        GlobalTimerNanos = kept.GlobalTimerNanos;
        GlobalTimerChanged = kept.GlobalTimerChanged;
        TimersCleared = kept.TimersCleared;
        Calls.Clear();
        Calls.AddRange(kept.Calls);
    }
}

/// <summary>A call made by an execution; sent only if the execution commits.</summary>
internal readonly record struct OutgoingCall(CallRequest Request, Func<Ic0, CallResult, Outcome>? Then);
