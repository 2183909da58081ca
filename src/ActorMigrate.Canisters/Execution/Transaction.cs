namespace ActorMigrate.Canisters;

/// <summary>
/// Everything one execution changes, committed together or discarded together: the stable-memory
/// overlay, the heap's undo log (and, in an upgrade, the new module's fresh heap), the timers and the
/// global timer, the calls made and the reply. Reused across a canister's executions, so the hot
/// path allocates little.
/// </summary>
internal sealed class Transaction
{
    public readonly StableOverlay Stable = new();
    public readonly List<OutgoingCall> Calls = [];

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
}

/// <summary>A call made by an execution; sent only if the execution commits.</summary>
internal readonly record struct OutgoingCall(CallRequest Request, Func<Ic0, CallResult, Outcome>? Then);
