using System.Diagnostics.CodeAnalysis;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>Insertion: the library's single top-down pass that splits every full node on the way down.</summary>
public sealed partial class StableBTreeMap<K, V>
{
    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>. Returns true, with the value it
    /// replaced, when the key was present.
    /// </summary>
    /// <exception cref="ArgumentException">The key or value encoding breaks its codec's bound.</exception>
    public bool Insert(K key, V value, [MaybeNullWhen(false)] out V previous)
    {
        var keySize = keyCodec.SizeOf(key);
        keyCodec.CheckBound(keySize);
        var valueSize = valueCodec.SizeOf(value);
        if (encoded.Length < valueSize)
        {
            encoded = new byte[Math.Max(valueSize, encoded.Length * 2)];
        }

        valueCodec.Write(value, encoded.AsSpan(0, valueSize));
        valueCodec.CheckBound(valueSize);
        var bytes = encoded.AsSpan(0, valueSize);
        PrepareSearchKey(key);

        try
        {
            Node<K> root;
            if (rootAddress == 0)
            {
                root = AllocateNode(NodeType.Leaf);
                rootAddress = root.Address;
                SaveHeader();
            }
            else
            {
                root = TakeOrLoadNode(rootAddress, 0);
                var idx = root.Search(key, SearchKey);
                if (idx >= 0)
                {
                    previous = UpdateValue(root, idx, bytes);
                    return true;
                }

                if (root.IsFull)
                {
                    var newRoot = AllocateNode(NodeType.Internal);
                    newRoot.AddChild(rootAddress);
                    rootAddress = newRoot.Address;
                    SaveHeader();
                    SplitChild(newRoot, 0, null);
                    root = newRoot;
                }
            }

            return InsertNonFull(root, key, bytes, out previous);
        }
        finally
        {
            EndOperation();
        }
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; true when the key was new.</summary>
    public bool Add(K key, V value) => !Insert(key, value, out _);

    private bool InsertNonFull(Node<K> node, K key, ReadOnlySpan<byte> value, [MaybeNullWhen(false)] out V previous)
    {
        for (var depth = 0; ; depth++)
        {
            CheckDepth(depth, node.Address);
            var idx = node.Search(key, SearchKey);
            if (idx >= 0)
            {
                previous = UpdateValue(node, idx, value);
                return true;
            }

            var at = ~idx;
            if (node.Type == NodeType.Leaf)
            {
                node.InsertEntry(at, key, value);
                SaveNode(node);
                LongCount++;
                SaveHeader();
                previous = default;
                return false;
            }

            var child = TakeOrLoadNode(node.Child(at), depth + 1);
            if (child.IsFull)
            {
                var inChild = child.Search(key, SearchKey);
                if (inChild >= 0)
                {
                    ReturnNode(node, depth);
                    previous = UpdateValue(child, inChild, value);
                    return true;
                }

                SplitChild(node, at, child);
                var again = node.Search(key, SearchKey);
                child = LoadNode(node.Child(again >= 0 ? again : ~again));
                ReturnNode(node, depth);
            }
            else
            {
                ReturnNode(node, depth);
            }

            node = child;
        }
    }

    private void SplitChild(Node<K> node, int fullChildIndex, Node<K>? fullChild)
    {
        fullChild ??= LoadNode(node.Child(fullChildIndex));
        if (!fullChild.IsFull)
        {
            throw new CorruptMemoryException($"BTreeMap node at offset {fullChild.Address} was expected to be full");
        }

        var sibling = AllocateNode(fullChild.Type);
        node.InsertChild(fullChildIndex + 1, sibling.Address);
        var median = fullChild.Split(sibling);
        node.InsertEntry(fullChildIndex, median.Key, median.Value);
        SaveNode(sibling);
        SaveNode(fullChild);
        SaveNode(node);
    }

    private V UpdateValue(Node<K> node, int index, ReadOnlySpan<byte> value)
    {
        var old = valueCodec.Read(node.Value(index));
        node.SetValue(index, value);
        SaveNode(node);
        return old;
    }
}
