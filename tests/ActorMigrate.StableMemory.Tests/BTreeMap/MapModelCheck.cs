using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>
/// Runs an operation sequence on a StableBTreeMap and on a SortedDictionary side by side and reports the
/// first step where they disagree (a returned value, a lookup, a range in either direction, the length,
/// or the whole content after a reopen from memory). Null means they agreed throughout.
/// </summary>
public sealed class MapModelCheck<K, V>(
    Func<IMemory, StableBTreeMap<K, V>> open,
    IComparer<K> trueOrder,
    Func<ulong, K> key,
    Func<int, V> value,
    IEqualityComparer<V> valueEquality)
    where K : notnull
{
    public string? Run(IReadOnlyList<MapOp> ops, IMemory? memory = null) => Run(ops, memory ?? new SparseMemory(), out _);

    public string? Run(IReadOnlyList<MapOp> ops, IMemory memory, out StableBTreeMap<K, V> map)
    {
        map = open(memory);
        var model = new SortedDictionary<K, V>(trueOrder);
        for (var step = 0; step < ops.Count; step++)
        {
            var op = ops[step];
            var problem = Apply(ref map, memory, model, op);
            if (problem is not null)
            {
                return $"step {step} ({op}): {problem}";
            }
        }

        return Compare(map, model, "at the end");
    }

    private string? Apply(ref StableBTreeMap<K, V> map, IMemory memory, SortedDictionary<K, V> model, MapOp op)
    {
        var k = key(op.KeySeed);
        switch (op.Kind)
        {
            case MapOpKind.Insert:
            {
                var v = value(op.ValueSeed);
                var had = model.TryGetValue(k, out var old);
                model[k] = v;
                var replaced = map.Insert(k, v, out var previous);
                if (replaced != had || (had && !valueEquality.Equals(previous!, old!)))
                {
                    return $"insert returned replaced={replaced}, the model says {had}";
                }

                break;
            }

            case MapOpKind.Remove:
            {
                var had = model.Remove(k, out var old);
                var removed = map.Remove(k, out var got);
                if (removed != had || (had && !valueEquality.Equals(got!, old!)))
                {
                    return $"remove returned {removed}, the model says {had}";
                }

                break;
            }

            case MapOpKind.Get:
            {
                var had = model.TryGetValue(k, out var expected);
                var found = map.TryGetValue(k, out var got);
                if (found != had || (had && !valueEquality.Equals(got!, expected!)) || map.ContainsKey(k) != had)
                {
                    return $"get found={found}, the model says {had}";
                }

                break;
            }

            case MapOpKind.PopFirst:
            case MapOpKind.PopLast:
            {
                var first = op.Kind == MapOpKind.PopFirst;
                KeyValuePair<K, V>? expected = model.Count == 0 ? null : first ? model.First() : model.Last();
                var got = first ? map.PopFirst() : map.PopLast();
                if (expected is { } e)
                {
                    model.Remove(e.Key);
                }

                if (!SameEntry(got, expected))
                {
                    return $"pop returned {got}, the model says {expected}";
                }

                break;
            }

            case MapOpKind.Range:
            {
                var other = key(op.OtherKeySeed);
                var (lo, hi) = trueOrder.Compare(k, other) <= 0 ? (k, other) : (other, k);
                var expected = model.Where(e => trueOrder.Compare(e.Key, lo) >= 0 && trueOrder.Compare(e.Key, hi) < 0).ToList();
                var range = map.Range(lo, hi);
                var forward = range.ToList();
                if (!SameEntries(forward, expected))
                {
                    return $"range [{lo}, {hi}) gave {forward.Count} entries, the model {expected.Count}";
                }

                expected.Reverse();
                if (!SameEntries(range.Reverse().ToList(), expected))
                {
                    return $"reverse range [{lo}, {hi}) differs from the model";
                }

                var inclusive = map.Range(lo, RangeBound.Exclusive, hi, RangeBound.Inclusive).ToList();
                var expectedInclusive = model.Where(e => trueOrder.Compare(e.Key, lo) > 0 && trueOrder.Compare(e.Key, hi) <= 0).ToList();
                if (!SameEntries(inclusive, expectedInclusive))
                {
                    return $"range ({lo}, {hi}] differs from the model";
                }

                break;
            }

            case MapOpKind.Iterate:
                return Compare(map, model, "on iteration");

            case MapOpKind.Reopen:
                map = open(memory);
                return Compare(map, model, "after reopening");
        }

        return map.LongCount == (ulong)model.Count ? null : $"the map counts {map.LongCount} entries, the model {model.Count}";
    }

    private string? Compare(StableBTreeMap<K, V> map, SortedDictionary<K, V> model, string when)
    {
        if (map.LongCount != (ulong)model.Count)
        {
            return $"{when}: the map counts {map.LongCount}, the model {model.Count}";
        }

        var expected = model.ToList();
        if (!SameEntries(map.ToList(), expected))
        {
            return $"{when}: ascending iteration differs from the model";
        }

        expected.Reverse();
        if (!SameEntries(map.Range().Reverse().ToList(), expected))
        {
            return $"{when}: descending iteration differs from the model";
        }

        if (!SameEntry(map.First(), model.Count == 0 ? null : model.First())
            || !SameEntry(map.Last(), model.Count == 0 ? null : model.Last()))
        {
            return $"{when}: first or last differs from the model";
        }

        if (!map.Keys.SequenceEqual(model.Keys, EqualityComparer<K>.Create((a, b) => trueOrder.Compare(a!, b!) == 0))
            || !map.Values.SequenceEqual(model.Values, valueEquality))
        {
            return $"{when}: keys or values differ from the model";
        }

        return null;
    }

    private bool SameEntry(KeyValuePair<K, V>? a, KeyValuePair<K, V>? b) =>
        a is null ? b is null : b is not null && SameEntry(a.Value, b.Value);

    private bool SameEntry(KeyValuePair<K, V> a, KeyValuePair<K, V> b) =>
        trueOrder.Compare(a.Key, b.Key) == 0 && valueEquality.Equals(a.Value, b.Value);

    private bool SameEntries(List<KeyValuePair<K, V>> a, List<KeyValuePair<K, V>> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!SameEntry(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
