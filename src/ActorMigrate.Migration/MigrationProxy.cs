using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// The proxy of the guide's step 5: the one store the canister's code sees while its records move
/// between a heap store and a stable store. It knows the migration state (kept in a StableCell), routes
/// each read and write by the pointer through a routing policy, runs the steps, checks completion and
/// switches. Plain C#, so the engine can run it alone. A module may keep it across executions (as a Rust
/// canister keeps its stores in a <c>thread_local!</c>): every change of the state is written through to the cell.
/// </summary>
public sealed class MigrationProxy<K, V> : IStore<K, V>
{
    private readonly Ic0 ic;
    private readonly IStore<K, V> heap;
    private readonly IStore<K, V> stable;
    private readonly StableCell<MigrationState> cell;
    private readonly IStorable<K> keys;
    private readonly IStorable<V> values;
    private readonly IRoutingPolicy<K, V>? customPolicy;
    private readonly CountedStore<K, V> countedHeap;
    private readonly CountedStore<K, V> countedStable;
    private MigrationState state;
    private K? pointerKey;
    private bool dirty;

    public MigrationProxy(Ic0 ic, IStore<K, V> heap, IStore<K, V> stable, StableCell<MigrationState> cell,
        IStorable<K> keys, IStorable<V> values, IRoutingPolicy<K, V>? policy = null)
    {
        this.ic = ic;
        // The policy sees the stores through counting wrappers, for a host that counts what each store
        // serves; the host may attach its counters after the proxy was opened (it outlives executions).
        this.heap = countedHeap = new CountedStore<K, V>(heap);
        this.stable = countedStable = new CountedStore<K, V>(stable);
        this.cell = cell;
        this.keys = keys;
        this.values = values;
        customPolicy = policy;
        state = cell.Value;
        pointerKey = state.Pointer is null ? default : keys.Read(state.Pointer);
    }

    /// <summary>The migration state cell in <paramref name="manager"/>'s state memory (created Idle when absent).</summary>
    public static StableCell<MigrationState> OpenState(Ic0 ic, MemoryManager manager) =>
        StableCell<MigrationState>.Init(ic.VirtualMemory(manager, StableLayout.MigrationStateMemory), MigrationStateCodec.Instance, MigrationState.Initial);

    public MigrationState State => state;

    public SchemaLabel Schema => state.Authoritative;

    public IStore<K, V> Source => state.Direction == MigrationDirection.HeapToStable ? heap : stable;

    public IStore<K, V> Target => state.Direction == MigrationDirection.HeapToStable ? stable : heap;

    /// <summary>The store that alone holds the records when no migration routes between the two.</summary>
    public IStore<K, V> AuthoritativeStore => state.Phase == MigrationPhase.Completed ? Target : Source;

    public IRoutingPolicy<K, V> Policy => customPolicy ?? (state.Policy == RoutingPolicyKind.PointerRouted
        ? PointerRoutedPolicy<K, V>.Instance
        : DualWritePolicy<K, V>.Instance);

    /// <summary>True while reads and writes go through the policy (a migration in progress, or a pointer-routed one that aborted with records split).</summary>
    public bool IsRouting => state.Phase == MigrationPhase.Migrating ||
                             (state.Phase == MigrationPhase.Aborted && state.Policy == RoutingPolicyKind.PointerRouted);

    /// <summary>True when <paramref name="key"/> is at or below the pointer.</summary>
    public bool IsMigrated(K key) => state.Pointer is not null && keys.Compare(key, pointerKey!) <= 0;

    // ---- the store ----

    public long Count
    {
        get
        {
            BeginServing();
            var count = IsRouting ? Policy.Count(this) : AuthoritativeStore.Count;
            Served(write: false);
            return count;
        }
    }

    public bool TryGet(K key, out V value)
    {
        BeginServing();
        var found = IsRouting ? Policy.TryGet(this, key, out value) : AuthoritativeStore.TryGet(key, out value);
        Served(write: false);
        return found;
    }

    public bool Contains(K key) => TryGet(key, out _);

    public bool Insert(K key, V value)
    {
        BeginServing();
        bool added;
        if (!IsRouting)
        {
            added = AuthoritativeStore.Insert(key, value);
        }
        else
        {
            added = Policy.Insert(this, key, value);
            Flush();
        }

        Served(write: true);
        return added;
    }

    public bool Remove(K key)
    {
        BeginServing();
        bool removed;
        if (!IsRouting)
        {
            removed = AuthoritativeStore.Remove(key);
        }
        else
        {
            removed = Policy.Remove(this, key);
            Flush();
        }

        Served(write: true);
        return removed;
    }

    public KeyValuePair<K, V>? First()
    {
        BeginServing();
        var first = IsRouting ? Policy.First(this) : AuthoritativeStore.First();
        Served(write: false);
        return first;
    }

    public KeyValuePair<K, V>? Last()
    {
        BeginServing();
        var last = IsRouting ? Policy.Last(this) : AuthoritativeStore.Last();
        Served(write: false);
        return last;
    }

    public IReadOnlyList<KeyValuePair<K, V>> Range(K? from, bool inclusive, int limit)
    {
        BeginServing();
        var range = IsRouting ? Policy.Range(this, from, inclusive, limit) : AuthoritativeStore.Range(from, inclusive, limit);
        Served(write: false);
        return range;
    }

    public void Clear() => throw new InvalidOperationException("a migrating store is not cleared through its proxy; clear the stores themselves");

    // ---- what policies use ----

    /// <summary>
    /// Inserts into <paramref name="store"/>, keeping the logical digest and/or the target digest (from the
    /// record read back). The logical digest covers only keys the steps have passed (at or below the
    /// pointer): a key above it is added when a step reaches it, so a write there needs no accounting yet.
    /// </summary>
    public bool InsertInto(IStore<K, V> store, K key, V value, bool logical, bool target)
    {
        logical = logical && IsMigrated(key);
        var existed = store.TryGet(key, out var old);
        var added = store.Insert(key, value);
        if (logical)
        {
            state = state with { LogicalDigest = state.LogicalDigest + Hash(key, value) - (existed ? Hash(key, old) : 0) };
            dirty = true;
        }

        if (target)
        {
            var readBack = store.ReadBackHash(ic, keys, values, key) ?? 0;
            state = state with { TargetDigest = state.TargetDigest + readBack - (existed ? Hash(key, old) : 0) };
            dirty = true;
        }

        return added;
    }

    /// <summary>
    /// A step's copy of a source record into <paramref name="target"/>: the key is above the pointer, where
    /// the target holds nothing (cleared at start, written only at or below the pointer), so there is no
    /// old record to look up first. The record read back joins the target digest; were something there
    /// after all, the digests would differ and the completion check would abort — never a silent loss.
    /// </summary>
    public void CopyInto(IStore<K, V> target, K key, V value)
    {
        target.Insert(key, value);
        var readBack = target.ReadBackHash(ic, keys, values, key) ?? 0;
        state = state with { TargetDigest = state.TargetDigest + readBack };
        dirty = true;
    }

    /// <summary>Removes from <paramref name="store"/>; the logical digest changes only for a key at or below the pointer (see <see cref="InsertInto"/>).</summary>
    public bool RemoveFrom(IStore<K, V> store, K key, bool logical, bool target)
    {
        logical = logical && IsMigrated(key);
        if (!store.TryGet(key, out var old))
        {
            return false;
        }

        store.Remove(key);
        var hash = Hash(key, old);
        state = state with
        {
            LogicalDigest = logical ? state.LogicalDigest - hash : state.LogicalDigest,
            TargetDigest = target ? state.TargetDigest - hash : state.TargetDigest,
        };
        dirty = true;
        return true;
    }

    public bool SameRecord(KeyValuePair<K, V>? a, KeyValuePair<K, V>? b) =>
        a is null || b is null
            ? a is null && b is null
            : keys.ToBytes(a.Value.Key).AsSpan().SequenceEqual(keys.ToBytes(b.Value.Key)) &&
              values.ToBytes(a.Value.Value).AsSpan().SequenceEqual(values.ToBytes(b.Value.Value));

    private ulong Hash(K key, V value) => RecordDigest.Of(ic, keys, values, key, value);

    // ---- the migration ----

    /// <summary>
    /// Starts a migration in <paramref name="direction"/>: clears the target store, takes the source's
    /// count, and moves to a new epoch with the pointer before the first key. The source's digest is not
    /// taken here — that would read every record in one execution (a million records near the 40 B
    /// limit): each step adds the records it passes, and writes at or below the pointer keep it current.
    /// </summary>
    /// <exception cref="InvalidOperationException">A migration is in progress, or the source of <paramref name="direction"/> is not the authoritative store.</exception>
    public void Start(MigrationDirection direction, RoutingPolicyKind policy, StepSizing sizing)
    {
        if (IsRouting)
        {
            throw new InvalidOperationException($"a migration is already in progress ({state.Phase}, {state.Direction}, epoch {state.Epoch})");
        }

        var (sourceSchema, targetSchema) = direction == MigrationDirection.HeapToStable
            ? (SchemaLabel.Heap, SchemaLabel.Stable)
            : (SchemaLabel.Stable, SchemaLabel.Heap);
        if (state.Authoritative != sourceSchema)
        {
            throw new InvalidOperationException($"cannot migrate {direction}: the authoritative store is {state.Authoritative}, not {sourceSchema}");
        }

        state = state with { Direction = direction };
        Target.Clear();
        state = state with
        {
            Phase = MigrationPhase.Migrating,
            Policy = policy,
            Epoch = state.Epoch + 1,
            Pointer = null,
            SourceSchema = sourceSchema,
            TargetSchema = targetSchema,
            SourceCountAtStart = (ulong)Source.Count,
            MigratedCount = 0,
            LogicalDigest = 0,
            TargetDigest = 0,
            Steps = 0,
            LargestStepInstructions = 0,
            Sizing = sizing,
            AbortReason = "",
        };
        pointerKey = default;
        dirty = true;
        Flush();
    }

    /// <summary>
    /// One step: moves up to the sizing's records past the pointer (a budget-driven step stops before
    /// the next record would pass its share of a slice), then, when the source has nothing past the
    /// pointer, checks completion and switches or aborts.
    /// </summary>
    public StepReport Step(StepSizing? sizing = null)
    {
        if (state.Phase != MigrationPhase.Migrating)
        {
            return new StepReport(0, 0, state.Phase, state.AbortReason);
        }

        sizing ??= state.Sizing;
        var start = ic.InstructionCounter;
        var budget = sizing.InstructionBudget(ic.Limits.MaxInstructionsPerSlice);
        long costliestRecord = 0;
        var moved = 0;
        var reachedEnd = false;
        while (moved < sizing.ChunkSize && !reachedEnd)
        {
            var batch = Source.Range(pointerKey, inclusive: state.Pointer is null, Math.Min(sizing.ChunkSize - moved, 64));
            if (batch.Count == 0)
            {
                reachedEnd = true;
                break;
            }

            var stop = false;
            foreach (var (key, value) in batch)
            {
                var before = ic.InstructionCounter;
                // The source record joins the logical digest as the step passes it; the copy's read-back joins the target digest.
                state = state with { LogicalDigest = state.LogicalDigest + Hash(key, value) };
                Policy.Copy(this, key, value);
                AdvancePointer(key);
                moved++;
                var after = ic.InstructionCounter;
                costliestRecord = Math.Max(costliestRecord, after - before);
                if (after - start + costliestRecord > budget)
                {
                    stop = true;
                    break;
                }
            }

            if (stop)
            {
                break;
            }
        }

        if (reachedEnd)
        {
            Complete();
        }

        var used = ic.InstructionCounter - start;
        state = state with
        {
            MigratedCount = state.MigratedCount + (ulong)moved,
            Steps = state.Steps + 1,
            LargestStepInstructions = Math.Max(state.LargestStepInstructions, used),
        };
        dirty = true;
        Flush();
        return new StepReport(moved, used, state.Phase, state.AbortReason);
    }

    /// <summary>Runs steps in this execution until the migration completes or aborts (the atomic migration).</summary>
    public StepReport RunToEnd()
    {
        var start = ic.InstructionCounter;
        var records = 0;
        while (state.Phase == MigrationPhase.Migrating)
        {
            records += Step(StepSizing.Fixed(StepSizing.MaxFixedChunk)).Records;
        }

        return new StepReport(records, ic.InstructionCounter - start, state.Phase, state.AbortReason);
    }

    /// <summary>
    /// Forgets the migration and declares <paramref name="authoritative"/> the store of record, with no
    /// migration in progress (a module that did not keep the state, e.g. an older version, ran in between).
    /// The epoch moves on, so the pointer of the forgotten migration can never be resumed.
    /// </summary>
    public void Reset(SchemaLabel authoritative)
    {
        state = state with
        {
            Phase = MigrationPhase.Idle,
            Direction = authoritative == SchemaLabel.Heap ? MigrationDirection.HeapToStable : MigrationDirection.StableToHeap,
            SourceSchema = authoritative,
            TargetSchema = authoritative == SchemaLabel.Heap ? SchemaLabel.Stable : SchemaLabel.Heap,
            Epoch = state.Epoch + 1,
            Pointer = null,
        };
        pointerKey = default;
        dirty = true;
        Flush();
    }

    /// <summary>Stops the migration; for dual-write the source stays authoritative. The reason is recorded.</summary>
    public void Abort(string reason)
    {
        state = state with { Phase = MigrationPhase.Aborted, AbortReason = reason };
        dirty = true;
        Flush();
    }

    private void Complete()
    {
        var failure = Policy.CheckCompletion(this);
        state = failure is null
            ? state with { Phase = MigrationPhase.Completed }
            : state with { Phase = MigrationPhase.Aborted, AbortReason = failure };
        dirty = true;
    }

    private void AdvancePointer(K key)
    {
        if (state.Pointer is not null && keys.Compare(key, pointerKey!) <= 0)
        {
            throw new InvalidOperationException("the migration pointer would move backwards");
        }

        pointerKey = key;
        state = state with { Pointer = keys.ToBytes(key) };
        dirty = true;
    }

    // ---- routing counters (only when a host attached them; they charge nothing) ----

    private void BeginServing() => countedHeap.Read = countedHeap.Written = countedStable.Read = countedStable.Written = false;

    /// <summary>Counts the operation just served: a read for each store it read, a write for each store it changed.</summary>
    private void Served(bool write)
    {
        if (ic.HostContext is not RoutingCounters counters)
        {
            return;
        }

        foreach (var store in (ReadOnlySpan<CountedStore<K, V>>)[countedHeap, countedStable])
        {
            if (write ? store.Written : store.Read)
            {
                counters.Served(store.Schema, write);
            }
        }
    }

    private void Flush()
    {
        if (dirty)
        {
            cell.Set(state);
            dirty = false;
        }
    }
}
