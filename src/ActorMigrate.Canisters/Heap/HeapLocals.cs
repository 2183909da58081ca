namespace ActorMigrate.Canisters;

/// <summary>
/// A module instance's <c>thread_local!</c> values (see <see cref="Heap.Local{T}"/>): objects kept across
/// executions, such as an opened MemoryManager, a StableBTreeMap handle or a migration proxy, so that an
/// execution does not pay — in instructions and in host time — for reopening them.
/// </summary>
/// <remarks>
/// Their fields are plain .NET state, outside the undo log, so a rollback cannot restore them. What
/// the IC does instead is restore the Wasm heap, which leaves a Rust thread-local as it was before the
/// execution. The same result here:
/// - a value first created in the rolled-back execution is dropped (on the IC its initialisation was
///   discarded with the heap, and the next execution pays for it again);
/// - an older value becomes stale when the rolled-back execution could have changed it (it trapped, or
///   wrote stable memory or the heap), and is rebuilt on its next use without charge, because the value
///   it stands for was kept on the IC and rebuilding from committed state gives exactly that value.
/// Values are therefore only ever derived from stable memory and heap containers: what they hold must
/// be rebuildable by their initialiser.
/// </remarks>
internal sealed class HeapLocals
{
    private sealed class Slot(object value)
    {
        public object Value = value;
        public bool Committed;
        public bool Stale;
    }

    private readonly Dictionary<string, Slot> slots = new(StringComparer.Ordinal);

    public T Get<T>(string name, Func<T> init, IHeapMeter? meter)
        where T : class
    {
        if (meter is null)
        {
            throw new InvalidOperationException($"heap local '{name}' can only be used inside an execution");
        }

        if (slots.TryGetValue(name, out var slot))
        {
            if (slot.Stale)
            {
                meter.SuspendMetering();
                try
                {
                    slot.Value = init();
                }
                finally
                {
                    meter.ResumeMetering();
                }

                slot.Stale = false;
            }

            return slot.Value as T ?? throw new InvalidOperationException(
                $"heap local '{name}' holds a {slot.Value.GetType().Name}, not a {typeof(T).Name}");
        }

        var value = init();
        slots[name] = new Slot(value);
        return value;
    }

    /// <summary>The execution committed: its new values are kept.</summary>
    public void Commit()
    {
        foreach (var slot in slots.Values)
        {
            slot.Committed = true;
        }
    }

    /// <summary>The execution rolled back: drops the values it created; marks the others stale when it may have changed them.</summary>
    public void Rollback(bool mayHaveChanged)
    {
        if (slots.Count == 0)
        {
            return;
        }

        List<string>? created = null;
        foreach (var (name, slot) in slots)
        {
            if (!slot.Committed)
            {
                (created ??= []).Add(name);
            }
            else if (mayHaveChanged)
            {
                slot.Stale = true;
            }
        }

        created?.ForEach(name => slots.Remove(name));
    }
}
