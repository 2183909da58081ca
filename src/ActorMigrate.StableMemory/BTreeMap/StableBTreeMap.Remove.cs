using System.Diagnostics.CodeAnalysis;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>Removal and pops: the library's single top-down pass that rotates or merges every minimal node on the way down, with the same choice order (left sibling first).</summary>
public sealed partial class StableBTreeMap<K, V>
{
    /// <summary>Removes <paramref name="key"/>; true, with its value, when it was present.</summary>
    public bool Remove(K key, [MaybeNullWhen(false)] out V value)
    {
        value = default;
        if (rootAddress == 0)
        {
            return false;
        }

        PrepareSearchKey(key);
        try
        {
            var root = TakeOrLoadNode(rootAddress, 0);
            return RemoveHelper(root, key, 0, out value);
        }
        finally
        {
            EndOperation();
        }
    }

    public bool Remove(K key) => Remove(key, out _);

    /// <summary>Removes and returns the entry with the smallest key, or null when the map is empty.</summary>
    public KeyValuePair<K, V>? PopFirst() => Pop(first: true);

    /// <summary>Removes and returns the entry with the largest key, or null when the map is empty.</summary>
    public KeyValuePair<K, V>? PopLast() => Pop(first: false);

    private KeyValuePair<K, V>? Pop(bool first)
    {
        if (rootAddress == 0)
        {
            return null;
        }

        try
        {
            var root = TakeOrLoadNode(rootAddress, 0);
            var entry = first ? RemoveLeftmost(root, 0) : RemoveRightmost(root, 0);
            return entry is { } e ? new KeyValuePair<K, V>(e.Key, valueCodec.Read(e.Value)) : null;
        }
        finally
        {
            EndOperation();
        }
    }

    private bool RemoveHelper(Node<K> node, K key, int depth, [MaybeNullWhen(false)] out V removed)
    {
        removed = default;
        CheckDepth(depth, node.Address);
        if (node.Address != rootAddress && !node.CanRemoveEntryWithoutMerging)
        {
            throw new CorruptMemoryException($"BTreeMap node at offset {node.Address} has too few entries ({node.Count})");
        }

        var idx = node.Search(key, SearchKey);
        if (node.Type == NodeType.Leaf)
        {
            if (idx < 0)
            {
                ReturnNode(node, depth);
                return false;
            }

            // Case 1: a leaf holding the key.
            removed = valueCodec.Read(node.Value(idx));
            node.DeleteEntry(idx);
            LongCount--;
            if (node.Count == 0)
            {
                if (node.Address != rootAddress)
                {
                    throw new CorruptMemoryException($"BTreeMap leaf at offset {node.Address} became empty but is not the root");
                }

                DeallocateNode(node);
                rootAddress = 0;
            }
            else
            {
                SaveNode(node);
            }

            SaveHeader();
            return true;
        }

        if (idx >= 0)
        {
            // Case 2: an internal node holding the key.
            var leftChild = TakeOrLoadNode(node.Child(idx), depth + 1);
            if (leftChild.CanRemoveEntryWithoutMerging)
            {
                // 2.a: replace the key by its predecessor, removed from the left subtree.
                var predecessor = RemoveRightmost(leftChild, depth + 1)!.Value;
                var old = node.SwapEntry(idx, predecessor.Key, predecessor.Value);
                SaveNode(node);
                removed = valueCodec.Read(old.Value);
                return true;
            }

            var rightChild = TakeOrLoadNode(node.Child(idx + 1), depth + 1);
            if (rightChild.CanRemoveEntryWithoutMerging)
            {
                // 2.b: replace the key by its successor, removed from the right subtree.
                ReturnNode(leftChild, depth + 1);
                var successor = RemoveLeftmost(rightChild, depth + 1)!.Value;
                var old = node.SwapEntry(idx, successor.Key, successor.Value);
                SaveNode(node);
                removed = valueCodec.Read(old.Value);
                return true;
            }

            // 2.c: merge left child, key and right child, then remove the key from the result.
            var newChild = Merge(rightChild, leftChild, node.RemoveEntry(idx));
            node.RemoveChild(idx + 1);
            if (node.Count == 0)
            {
                rootAddress = newChild.Address;
                DeallocateNode(node);
                SaveHeader();
            }
            else
            {
                SaveNode(node);
            }

            SaveNode(newChild);
            return RemoveHelper(newChild, key, depth + 1, out removed);
        }

        // Case 3: the key, if present, is in the subtree at `at`.
        var at = ~idx;
        var child = TakeOrLoadNode(node.Child(at), depth + 1);
        if (child.CanRemoveEntryWithoutMerging)
        {
            ReturnNode(node, depth);
            return RemoveHelper(child, key, depth + 1, out removed);
        }

        var leftSibling = at > 0 ? LoadNode(node.Child(at - 1)) : null;
        var rightSibling = at + 1 < node.ChildCount ? LoadNode(node.Child(at + 1)) : null;

        if (leftSibling is not null && leftSibling.CanRemoveEntryWithoutMerging)
        {
            // 3.a (left): rotate the left sibling's last entry through the parent into the child.
            var moved = leftSibling.PopEntry();
            var parent = node.SwapEntry(at - 1, moved.Key, moved.Value);
            child.InsertEntry(0, parent.Key, parent.Value);
            if (leftSibling.PopChild() is { } lastChild)
            {
                child.InsertChild(0, lastChild);
            }

            SaveNode(leftSibling);
            SaveNode(child);
            SaveNode(node);
            return RemoveHelper(child, key, depth + 1, out removed);
        }

        if (rightSibling is not null && rightSibling.CanRemoveEntryWithoutMerging)
        {
            // 3.a (right): rotate the right sibling's first entry through the parent into the child.
            var moved = rightSibling.RemoveEntry(0);
            var parent = node.SwapEntry(at, moved.Key, moved.Value);
            child.PushEntry(parent.Key, parent.Value);
            if (rightSibling.Type == NodeType.Internal)
            {
                child.AddChild(rightSibling.RemoveChild(0));
            }

            SaveNode(rightSibling);
            SaveNode(child);
            SaveNode(node);
            return RemoveHelper(child, key, depth + 1, out removed);
        }

        // 3.b: both siblings at their minimum: merge the child into one of them.
        if (leftSibling is not null)
        {
            var merged = Merge(child, leftSibling, node.RemoveEntry(at - 1));
            node.RemoveChild(at);
            CollapseOrSave(node, merged);
            return RemoveHelper(merged, key, depth + 1, out removed);
        }

        if (rightSibling is not null)
        {
            var merged = Merge(child, rightSibling, node.RemoveEntry(at));
            node.RemoveChild(at);
            CollapseOrSave(node, merged);
            return RemoveHelper(merged, key, depth + 1, out removed);
        }

        throw new CorruptMemoryException($"BTreeMap internal node at offset {node.Address} has a single child");
    }

    // After a merge under `node`: an emptied node (only the root can empty) is freed and the merged
    // node takes its place; otherwise the node is saved.
    private void CollapseOrSave(Node<K> node, Node<K> merged)
    {
        if (node.Count == 0)
        {
            var address = node.Address;
            DeallocateNode(node);
            if (address == rootAddress)
            {
                rootAddress = merged.Address;
                SaveHeader();
            }
        }
        else
        {
            SaveNode(node);
        }
    }

    private DetachedEntry<K>? RemoveRightmost(Node<K> node, int depth)
    {
        while (true)
        {
            CheckDepth(depth, node.Address);
            if (node.Type == NodeType.Leaf)
            {
                if (node.Count == 0)
                {
                    return null;
                }

                var entry = node.PopEntry();
                LongCount--;
                FreeIfEmptyElseSave(node);
                SaveHeader();
                return entry;
            }

            var last = node.ChildCount - 1;
            var child = TakeOrLoadNode(node.Child(last), depth + 1);
            if (child.CanRemoveEntryWithoutMerging)
            {
                ReturnNode(node, depth);
                node = child;
                depth++;
                continue;
            }

            var leftSibling = LoadNode(node.Child(last - 1));
            if (leftSibling.CanRemoveEntryWithoutMerging)
            {
                var moved = leftSibling.PopEntry();
                var parent = node.SwapEntry(last - 1, moved.Key, moved.Value);
                child.InsertEntry(0, parent.Key, parent.Value);
                if (leftSibling.PopChild() is { } lastChild)
                {
                    child.InsertChild(0, lastChild);
                }

                SaveNode(leftSibling);
                SaveNode(child);
                SaveNode(node);
                node = child;
                depth++;
                continue;
            }

            var merged = Merge(child, leftSibling, node.RemoveEntry(last - 1));
            node.RemoveChild(last);
            ReplaceEmptiedRootOrSave(node, merged);
            node = merged;
            depth++;
        }
    }

    private DetachedEntry<K>? RemoveLeftmost(Node<K> node, int depth)
    {
        while (true)
        {
            CheckDepth(depth, node.Address);
            if (node.Type == NodeType.Leaf)
            {
                if (node.Count == 0)
                {
                    return null;
                }

                var entry = node.RemoveEntry(0);
                LongCount--;
                FreeIfEmptyElseSave(node);
                SaveHeader();
                return entry;
            }

            var child = TakeOrLoadNode(node.Child(0), depth + 1);
            if (child.CanRemoveEntryWithoutMerging)
            {
                ReturnNode(node, depth);
                node = child;
                depth++;
                continue;
            }

            var rightSibling = LoadNode(node.Child(1));
            if (rightSibling.CanRemoveEntryWithoutMerging)
            {
                var moved = rightSibling.RemoveEntry(0);
                var parent = node.SwapEntry(0, moved.Key, moved.Value);
                child.PushEntry(parent.Key, parent.Value);
                if (rightSibling.Type == NodeType.Internal)
                {
                    child.AddChild(rightSibling.RemoveChild(0));
                }

                SaveNode(rightSibling);
                SaveNode(child);
                SaveNode(node);
                node = child;
                depth++;
                continue;
            }

            var merged = Merge(child, rightSibling, node.RemoveEntry(0));
            node.RemoveChild(0);
            ReplaceEmptiedRootOrSave(node, merged);
            node = merged;
            depth++;
        }
    }

    private void FreeIfEmptyElseSave(Node<K> leaf)
    {
        if (leaf.Count == 0)
        {
            if (leaf.Address != rootAddress)
            {
                throw new CorruptMemoryException($"BTreeMap leaf at offset {leaf.Address} became empty but is not the root");
            }

            DeallocateNode(leaf);
            rootAddress = 0;
        }
        else
        {
            SaveNode(leaf);
        }
    }

    private void ReplaceEmptiedRootOrSave(Node<K> node, Node<K> merged)
    {
        if (node.Count == 0)
        {
            if (node.Address != rootAddress)
            {
                throw new CorruptMemoryException($"BTreeMap node at offset {node.Address} became empty but is not the root");
            }

            rootAddress = merged.Address;
            DeallocateNode(node);
            SaveHeader();
        }
        else
        {
            SaveNode(node);
        }
    }

    /// <summary>Merges <paramref name="source"/> and the median into <paramref name="into"/>, saves it and frees the source.</summary>
    private Node<K> Merge(Node<K> source, Node<K> into, DetachedEntry<K> median)
    {
        if (source.Type != into.Type || source.Count == 0 || into.Count == 0)
        {
            throw new CorruptMemoryException($"BTreeMap nodes at offsets {source.Address} and {into.Address} cannot be merged");
        }

        into.MergeFrom(source, median);
        SaveNodeRaw(into);
        var sourceAddress = source.Address;
        FreeNodeChunks(source);
        cache.Invalidate(into.Address);
        cache.Invalidate(sourceAddress);
        return into;
    }
}
