using System.Collections;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The entries of a <see cref="StableBTreeMap{K,V}"/> whose keys lie in a range, read lazily node by
/// node in ascending order, or descending through <see cref="Reverse"/>. An enumeration keeps one path
/// of nodes from the root; it must not run across changes to the map.
/// </summary>
public sealed class BTreeMapRange<K, V> : IEnumerable<KeyValuePair<K, V>>
{
    private readonly StableBTreeMap<K, V> map;
    private readonly K? lower;
    private readonly RangeBound lowerKind;
    private readonly K? upper;
    private readonly RangeBound upperKind;

    internal BTreeMapRange(StableBTreeMap<K, V> map, K? lower, RangeBound lowerKind, K? upper, RangeBound upperKind)
    {
        this.map = map;
        this.lower = lower;
        this.lowerKind = lowerKind;
        this.upper = upper;
        this.upperKind = upperKind;
    }

    /// <summary>The same entries in descending key order.</summary>
    public IEnumerable<KeyValuePair<K, V>> Reverse() => Descending();

    public IEnumerator<KeyValuePair<K, V>> GetEnumerator() => Ascending().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<KeyValuePair<K, V>> Ascending()
    {
        var root = map.RootAddress;
        if (root == 0 || IsEmptyRange())
        {
            yield break;
        }

        var codec = map.KeyCodec;
        var stack = new List<(Node<K> Node, int Index)>();
        var spare = new Stack<Node<K>>(); // nodes left behind, reloaded for the next node entered
        var scratch = Array.Empty<byte>(); // a value's bytes until decoded: it is read once, never kept in the node

        // Seek: on each level the first entry at or past the lower bound.
        var address = root;
        while (true)
        {
            var node = Push(stack, spare, address);
            if (lowerKind == RangeBound.Unbounded)
            {
                if (node.Type == NodeType.Leaf)
                {
                    break;
                }

                address = node.Child(0);
                continue;
            }

            var idx = node.Search(lower!);
            if (idx >= 0)
            {
                if (lowerKind == RangeBound.Inclusive)
                {
                    stack[^1] = (node, idx);
                    break;
                }

                stack[^1] = (node, idx + 1);
                if (node.Type == NodeType.Internal)
                {
                    DescendLeftmost(stack, spare, node.Child(idx + 1));
                }

                break;
            }

            stack[^1] = (node, ~idx);
            if (node.Type == NodeType.Leaf)
            {
                break;
            }

            address = node.Child(~idx);
        }

        while (stack.Count > 0)
        {
            var (node, i) = stack[^1];
            if (i >= node.Count)
            {
                spare.Push(node);
                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            var key = node.Key(i);
            if (upperKind != RangeBound.Unbounded)
            {
                var c = codec.Compare(key, upper!);
                if (c > 0 || (c == 0 && upperKind == RangeBound.Exclusive))
                {
                    yield break;
                }
            }

            var entry = new KeyValuePair<K, V>(key, map.ValueCodec.Read(node.ValueUncached(i, ref scratch)));
            stack[^1] = (node, i + 1);
            if (node.Type == NodeType.Internal)
            {
                DescendLeftmost(stack, spare, node.Child(i + 1));
            }

            yield return entry;
        }
    }

    private IEnumerable<KeyValuePair<K, V>> Descending()
    {
        var root = map.RootAddress;
        if (root == 0 || IsEmptyRange())
        {
            yield break;
        }

        var codec = map.KeyCodec;

        // A frame (node, i): entries [0, i) are still to come, child i has been entered.
        var stack = new List<(Node<K> Node, int Index)>();
        var spare = new Stack<Node<K>>(); // nodes left behind, reloaded for the next node entered
        var scratch = Array.Empty<byte>(); // a value's bytes until decoded: it is read once, never kept in the node
        var address = root;
        while (true)
        {
            var node = Push(stack, spare, address);
            if (upperKind == RangeBound.Unbounded)
            {
                stack[^1] = (node, node.Count);
                if (node.Type == NodeType.Leaf)
                {
                    break;
                }

                address = node.Child(node.ChildCount - 1);
                continue;
            }

            var idx = node.Search(upper!);
            if (idx >= 0)
            {
                if (upperKind == RangeBound.Inclusive)
                {
                    stack[^1] = (node, idx + 1);
                    break;
                }

                stack[^1] = (node, idx);
                if (node.Type == NodeType.Internal)
                {
                    DescendRightmost(stack, spare, node.Child(idx));
                }

                break;
            }

            stack[^1] = (node, ~idx);
            if (node.Type == NodeType.Leaf)
            {
                break;
            }

            address = node.Child(~idx);
        }

        while (stack.Count > 0)
        {
            var (node, i) = stack[^1];
            if (i == 0)
            {
                spare.Push(node);
                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            var key = node.Key(i - 1);
            if (lowerKind != RangeBound.Unbounded)
            {
                var c = codec.Compare(key, lower!);
                if (c < 0 || (c == 0 && lowerKind == RangeBound.Exclusive))
                {
                    yield break;
                }
            }

            var entry = new KeyValuePair<K, V>(key, map.ValueCodec.Read(node.ValueUncached(i - 1, ref scratch)));
            stack[^1] = (node, i - 1);
            if (node.Type == NodeType.Internal)
            {
                DescendRightmost(stack, spare, node.Child(i - 1));
            }

            yield return entry;
        }
    }

    private bool IsEmptyRange()
    {
        if (lowerKind == RangeBound.Unbounded || upperKind == RangeBound.Unbounded)
        {
            return false;
        }

        var c = map.KeyCodec.Compare(lower!, upper!);
        return c > 0 || (c == 0 && (lowerKind == RangeBound.Exclusive || upperKind == RangeBound.Exclusive));
    }

    private Node<K> Push(List<(Node<K> Node, int Index)> stack, Stack<Node<K>> spare, ulong address)
    {
        if (stack.Count >= StableBTreeMap<K, V>.MaxDepth)
        {
            throw new CorruptMemoryException(
                $"BTreeMap path reached depth {stack.Count} at node offset {address}: the node addresses form a cycle");
        }

        var node = map.LoadDetached(address, spare.Count > 0 ? spare.Pop() : null);
        stack.Add((node, 0));
        return node;
    }

    private void DescendLeftmost(List<(Node<K> Node, int Index)> stack, Stack<Node<K>> spare, ulong address)
    {
        while (true)
        {
            var node = Push(stack, spare, address);
            if (node.Type == NodeType.Leaf)
            {
                return;
            }

            address = node.Child(0);
        }
    }

    private void DescendRightmost(List<(Node<K> Node, int Index)> stack, Stack<Node<K>> spare, ulong address)
    {
        while (true)
        {
            var node = Push(stack, spare, address);
            stack[^1] = (node, node.Count);
            if (node.Type == NodeType.Leaf)
            {
                return;
            }

            address = node.Child(node.ChildCount - 1);
        }
    }
}
