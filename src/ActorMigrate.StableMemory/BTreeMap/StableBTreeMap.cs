using System.Buffers.Binary;
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// A sorted map kept in stable memory, byte-compatible with the Rust library's
/// <c>ic_stable_structures::BTreeMap</c> (main at b5d1650): same header, allocator and node layouts,
/// same B-tree algorithms (minimum degree 6, 11 entries per node, same split, rotation and merge
/// choices, same allocation and free order), so a map written by either is read by the other and the
/// same operations leave the same bytes. Keys and values are encoded by <see cref="IStorable{T}"/> codecs.
/// </summary>
/// <remarks>
/// Header (little-endian):
/// | offset | size | field                                                                   |
/// |--------|------|-------------------------------------------------------------------------|
/// | 0      | 3    | magic "BTR"                                                             |
/// | 3      | 1    | layout version: 2, or 1 (legacy, and maps migrated from it)             |
/// | 4      | 4    | v2: page size · v1: max key size                                        |
/// | 8      | 4    | v2: 0xFFFFFFFF (page size marker) · v1: max value size                  |
/// | 12     | 8    | root node address (0 = empty map)                                       |
/// | 20     | 8    | number of entries                                                       |
/// | 28     | 24   | reserved                                                                |
/// | 52     | 48   | the chunk allocator (<see cref="ChunkAllocator"/>); nodes live in its chunks |
///
/// A v2 page size is ¾ of the largest v1 node when keys and values are both bounded, 1,024 bytes
/// otherwise. A version-1 map loaded by <see cref="Init"/> keeps its header and its v1 nodes (rewritten
/// in place as v1), while new nodes are v2 with the v1 node size as page size — as the library does.
/// The map is not thread-safe, and an iterator must not outlive a change to the map.
/// </remarks>
public sealed class StableBTreeMap<K, V> : IEnumerable<KeyValuePair<K, V>>
{
    private const ulong AllocatorOffset = 52;
    private const int HeaderSize = 28;
    private const uint DefaultPageSize = 1024;
    private const uint PageSizeMarker = uint.MaxValue;

    /// <summary>No valid tree is deeper: with at least 6 children per internal node, 40 levels exceed 2^64 entries.</summary>
    internal const int MaxDepth = 40;

    private readonly IMemory memory;
    private readonly IStorable<K> keyCodec;
    private readonly IStorable<V> valueCodec;
    private readonly ChunkAllocator allocator;
    private readonly NodePageSize pageSize;
    private readonly bool createsV1Nodes;
    private readonly NodeCache<K> cache;
    private readonly Stack<Node<K>> pool = new();
    private readonly List<Node<K>> inUse = [];
    private byte[] scratch = new byte[1024];
    private byte[] valueScratch = new byte[256];
    private byte[] encoded = new byte[256];
    private ulong rootAddress;

    private StableBTreeMap(
        IMemory memory, IStorable<K> keyCodec, IStorable<V> valueCodec, ChunkAllocator allocator,
        NodePageSize pageSize, bool createsV1Nodes, ulong rootAddress, ulong length)
    {
        this.memory = memory;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.allocator = allocator;
        this.pageSize = pageSize;
        this.createsV1Nodes = createsV1Nodes;
        this.rootAddress = rootAddress;
        LongCount = length;
        cache = new NodeCache<K>(pageSize.Bytes, NodeCache<K>.DefaultSlots, Release);
    }

    /// <summary>The number of entries.</summary>
    public ulong LongCount { get; private set; }

    /// <summary>The number of entries (throws past int.MaxValue; see <see cref="LongCount"/>).</summary>
    public int Count => checked((int)LongCount);

    /// <summary>Chunks the allocator has handed out (nodes and overflow pages): 0 for an empty map.</summary>
    public ulong AllocatedChunks => allocator.AllocatedChunks;

    /// <summary>The node page size in bytes.</summary>
    public uint PageSize => pageSize.Bytes;

    /// <summary>The layout version in the header: 2, or 1 for a legacy (or migrated legacy) map.</summary>
    public int LayoutVersion => pageSize.IsDerived ? 1 : 2;

    /// <summary>The memory the map lives in.</summary>
    public IMemory Memory => memory;

    /// <summary>Node cache hits and misses since the map was opened.</summary>
    public (long Hits, long Misses) NodeCacheStatistics => (cache.Hits, cache.Misses);

    /// <summary>Loads the map in <paramref name="memory"/>, or creates a new one when the memory holds no "BTR" magic.</summary>
    public static StableBTreeMap<K, V> Init(IMemory memory, IStorable<K> keyCodec, IStorable<V> valueCodec)
    {
        if (memory.Size == 0 || !HasMagic(memory))
        {
            return New(memory, keyCodec, valueCodec);
        }

        return Load(memory, keyCodec, valueCodec);
    }

    /// <summary>Creates an empty layout-version-2 map, overwriting whatever the memory held.</summary>
    public static StableBTreeMap<K, V> New(IMemory memory, IStorable<K> keyCodec, IStorable<V> valueCodec)
    {
        var kb = keyCodec.Bound;
        var vb = valueCodec.Bound;
        var size = kb.IsBounded && vb.IsBounded
            ? NodePageSize.Value((uint)(NodeLayoutV1.NodeSize(kb.MaxSize, vb.MaxSize) * 3 / 4))
            : NodePageSize.Value(DefaultPageSize);
        var allocator = ChunkAllocator.Create(memory, AllocatorOffset, size.Bytes);
        var map = new StableBTreeMap<K, V>(memory, keyCodec, valueCodec, allocator, size, false, 0, 0);
        map.SaveHeader();
        return map;
    }

    /// <summary>
    /// Creates (or loads without migrating) a legacy layout-version-1 map: only for replaying old
    /// layouts, as the library's test-only <c>init_v1</c>. Both types must be bounded.
    /// </summary>
    public static StableBTreeMap<K, V> InitV1(IMemory memory, IStorable<K> keyCodec, IStorable<V> valueCodec)
    {
        if (!keyCodec.Bound.IsBounded || !valueCodec.Bound.IsBounded)
        {
            throw new ArgumentException("a version-1 BTreeMap needs bounded key and value types");
        }

        if (memory.Size > 0 && HasMagic(memory))
        {
            return Open(memory, keyCodec, valueCodec, migrateToV2: false);
        }

        var size = NodePageSize.Derived(keyCodec.Bound.MaxSize, valueCodec.Bound.MaxSize);
        var allocator = ChunkAllocator.Create(memory, AllocatorOffset, size.Bytes);
        var map = new StableBTreeMap<K, V>(memory, keyCodec, valueCodec, allocator, size, true, 0, 0);
        map.SaveHeader();
        return map;
    }

    /// <summary>Loads an existing map; a version-1 map is from then on extended with version-2 nodes.</summary>
    /// <exception cref="CorruptMemoryException">The memory does not hold a BTreeMap header and allocator.</exception>
    public static StableBTreeMap<K, V> Load(IMemory memory, IStorable<K> keyCodec, IStorable<V> valueCodec) =>
        Open(memory, keyCodec, valueCodec, migrateToV2: true);

    private static bool HasMagic(IMemory memory)
    {
        Span<byte> magic = stackalloc byte[3];
        memory.Read(0, magic);
        return magic.SequenceEqual("BTR"u8);
    }

    private static StableBTreeMap<K, V> Open(IMemory memory, IStorable<K> keyCodec, IStorable<V> valueCodec, bool migrateToV2)
    {
        if (memory.SizeInBytes() < AllocatorOffset + ChunkAllocator.HeaderSize)
        {
            throw new CorruptMemoryException($"a BTreeMap needs at least 100 bytes, but the memory has {memory.SizeInBytes()}");
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        memory.Read(0, header);
        if (!header[..3].SequenceEqual("BTR"u8))
        {
            throw new CorruptMemoryException(
                $"bad BTreeMap magic at offset 0: expected \"BTR\", found {Convert.ToHexStringLower(header[..3])}");
        }

        var a = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var b = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var root = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(header[20..]);
        NodePageSize size;
        var v1Nodes = false;
        switch (header[3])
        {
            case 1:
                size = NodePageSize.Derived(a, b);
                if (!migrateToV2)
                {
                    if (keyCodec.Bound.MaxSize > a || valueCodec.Bound.MaxSize > b)
                    {
                        throw new ArgumentException(
                            $"the version-1 map holds keys up to {a} and values up to {b} bytes, smaller than the codecs' bounds");
                    }

                    v1Nodes = true;
                }

                break;
            case 2:
                size = b == PageSizeMarker ? NodePageSize.Value(a) : NodePageSize.Derived(a, b);
                if (!size.IsDerived && size.Bytes < NodeLayoutV2.MinimumPageSize)
                {
                    throw new CorruptMemoryException($"BTreeMap page size {size.Bytes} is below the minimum of {NodeLayoutV2.MinimumPageSize}");
                }

                break;
            default:
                throw new CorruptMemoryException($"unsupported BTreeMap layout version {header[3]} at offset 3");
        }

        var allocator = ChunkAllocator.Load(memory, AllocatorOffset);
        if (allocator.AllocationSize != size.Bytes)
        {
            throw new CorruptMemoryException(
                $"BTreeMap allocator hands out {allocator.AllocationSize}-byte chunks, but the page size is {size.Bytes}");
        }

        return new StableBTreeMap<K, V>(memory, keyCodec, valueCodec, allocator, size, v1Nodes, root, length);
    }

    // ------------------------------------------------------------------ lookups

    /// <summary>The value stored under <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(K key, [MaybeNullWhen(false)] out V value)
    {
        value = default;
        if (rootAddress == 0)
        {
            return false;
        }

        try
        {
            var address = rootAddress;
            for (var depth = 0; ; depth++)
            {
                var node = TakeOrLoadNode(address, depth);
                var idx = node.Search(key);
                if (idx >= 0)
                {
                    value = valueCodec.Read(node.ValueUncached(idx, ref valueScratch));
                    ReturnNode(node, depth);
                    return true;
                }

                if (node.Type == NodeType.Leaf)
                {
                    ReturnNode(node, depth);
                    return false;
                }

                address = node.Child(~idx);
                ReturnNode(node, depth);
            }
        }
        finally
        {
            EndOperation();
        }
    }

    /// <summary>The value stored under <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    public V this[K key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"the key {key} is not in the BTreeMap");

    public bool ContainsKey(K key)
    {
        if (rootAddress == 0)
        {
            return false;
        }

        try
        {
            var address = rootAddress;
            for (var depth = 0; ; depth++)
            {
                var node = TakeOrLoadNode(address, depth);
                var idx = node.Search(key);
                if (idx >= 0)
                {
                    ReturnNode(node, depth);
                    return true;
                }

                if (node.Type == NodeType.Leaf)
                {
                    ReturnNode(node, depth);
                    return false;
                }

                address = node.Child(~idx);
                ReturnNode(node, depth);
            }
        }
        finally
        {
            EndOperation();
        }
    }

    /// <summary>The entry with the smallest key, or null when the map is empty.</summary>
    public KeyValuePair<K, V>? First() => FirstOrLast(first: true);

    /// <summary>The entry with the largest key, or null when the map is empty.</summary>
    public KeyValuePair<K, V>? Last() => FirstOrLast(first: false);

    private KeyValuePair<K, V>? FirstOrLast(bool first)
    {
        if (rootAddress == 0)
        {
            return null;
        }

        try
        {
            var path = new Node<K>[MaxDepth];
            var node = TakeOrLoadNode(rootAddress, 0);
            path[0] = node;
            var depth = 0;
            while (node.Type == NodeType.Internal)
            {
                node = TakeOrLoadNode(node.Child(first ? 0 : node.ChildCount - 1), depth + 1);
                path[++depth] = node;
            }

            var idx = first ? 0 : node.Count - 1;
            var result = new KeyValuePair<K, V>(node.Key(idx), valueCodec.Read(node.ValueUncached(idx, ref valueScratch)));

            // The library returns the nodes deepest first as its recursion unwinds.
            for (var d = depth; d >= 0; d--)
            {
                ReturnNode(path[d], d);
            }

            return result;
        }
        finally
        {
            EndOperation();
        }
    }

    // ------------------------------------------------------------------ insert

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
                var idx = root.Search(key);
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
            var idx = node.Search(key);
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
                var inChild = child.Search(key);
                if (inChild >= 0)
                {
                    ReturnNode(node, depth);
                    previous = UpdateValue(child, inChild, value);
                    return true;
                }

                SplitChild(node, at, child);
                var again = node.Search(key);
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

    // ------------------------------------------------------------------ remove

    /// <summary>Removes <paramref name="key"/>; true, with its value, when it was present.</summary>
    public bool Remove(K key, [MaybeNullWhen(false)] out V value)
    {
        value = default;
        if (rootAddress == 0)
        {
            return false;
        }

        try
        {
            var root = TakeOrLoadNode(rootAddress, 0);
            var removed = RemoveHelper(root, key, 0);
            if (removed is null)
            {
                return false;
            }

            value = valueCodec.Read(removed);
            return true;
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

    private byte[]? RemoveHelper(Node<K> node, K key, int depth)
    {
        CheckDepth(depth, node.Address);
        if (node.Address != rootAddress && !node.CanRemoveEntryWithoutMerging)
        {
            throw new CorruptMemoryException($"BTreeMap node at offset {node.Address} has too few entries ({node.Count})");
        }

        var idx = node.Search(key);
        if (node.Type == NodeType.Leaf)
        {
            if (idx < 0)
            {
                ReturnNode(node, depth);
                return null;
            }

            // Case 1: a leaf holding the key.
            var value = node.RemoveEntry(idx).Value;
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
            return value;
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
                return old.Value;
            }

            var rightChild = TakeOrLoadNode(node.Child(idx + 1), depth + 1);
            if (rightChild.CanRemoveEntryWithoutMerging)
            {
                // 2.b: replace the key by its successor, removed from the right subtree.
                ReturnNode(leftChild, depth + 1);
                var successor = RemoveLeftmost(rightChild, depth + 1)!.Value;
                var old = node.SwapEntry(idx, successor.Key, successor.Value);
                SaveNode(node);
                return old.Value;
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
            return RemoveHelper(newChild, key, depth + 1);
        }

        // Case 3: the key, if present, is in the subtree at `at`.
        var at = ~idx;
        var child = TakeOrLoadNode(node.Child(at), depth + 1);
        if (child.CanRemoveEntryWithoutMerging)
        {
            ReturnNode(node, depth);
            return RemoveHelper(child, key, depth + 1);
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
            return RemoveHelper(child, key, depth + 1);
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
            return RemoveHelper(child, key, depth + 1);
        }

        // 3.b: both siblings at their minimum: merge the child into one of them.
        if (leftSibling is not null)
        {
            var merged = Merge(child, leftSibling, node.RemoveEntry(at - 1));
            node.RemoveChild(at);
            CollapseOrSave(node, merged);
            return RemoveHelper(merged, key, depth + 1);
        }

        if (rightSibling is not null)
        {
            var merged = Merge(child, rightSibling, node.RemoveEntry(at));
            node.RemoveChild(at);
            CollapseOrSave(node, merged);
            return RemoveHelper(merged, key, depth + 1);
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

    // ------------------------------------------------------------------ clear, iteration

    /// <summary>Removes every entry: the allocator forgets all chunks (the library's <c>clear_new</c>).</summary>
    public void Clear()
    {
        rootAddress = 0;
        LongCount = 0;
        allocator.Clear();
        cache.Clear();
        SaveHeader();
    }

    /// <summary>All entries in key order.</summary>
    public BTreeMapRange<K, V> Range() => new(this, default, RangeBound.Unbounded, default, RangeBound.Unbounded);

    /// <summary>The entries whose keys lie between the bounds, in key order (use <see cref="BTreeMapRange{K,V}.Reverse"/> for descending).</summary>
    public BTreeMapRange<K, V> Range(K? lower, RangeBound lowerKind, K? upper, RangeBound upperKind) =>
        new(this, lower, lowerKind, upper, upperKind);

    /// <summary>Entries with lower ≤ key &lt; upper.</summary>
    public BTreeMapRange<K, V> Range(K lower, K upper) => new(this, lower, RangeBound.Inclusive, upper, RangeBound.Exclusive);

    public IEnumerable<K> Keys => Range().Select(e => e.Key);

    public IEnumerable<V> Values => Range().Select(e => e.Value);

    public IEnumerator<KeyValuePair<K, V>> GetEnumerator() => Range().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal IStorable<K> KeyCodec => keyCodec;

    internal IStorable<V> ValueCodec => valueCodec;

    internal ulong RootAddress => rootAddress;

    /// <summary>Loads a node for an iterator: a fresh object, neither pooled nor cached.</summary>
    internal Node<K> LoadDetached(ulong address)
    {
        var node = new Node<K>(keyCodec);
        ReadNode(node, address);
        return node;
    }

    // ------------------------------------------------------------------ nodes

    private Node<K> Acquire()
    {
        var node = pool.Count > 0 ? pool.Pop() : new Node<K>(keyCodec);
        node.InUse = true;
        inUse.Add(node);
        return node;
    }

    // A node the cache dropped: back to the pool unless the running operation still holds it.
    private void Release(Node<K> node)
    {
        if (!node.InUse && !node.InCache)
        {
            pool.Push(node);
        }
    }

    private void EndOperation()
    {
        foreach (var node in inUse)
        {
            node.InUse = false;
            if (!node.InCache)
            {
                pool.Push(node);
            }
        }

        inUse.Clear();
    }

    private Node<K> TakeOrLoadNode(ulong address, int depth)
    {
        CheckDepth(depth, address);
        var cached = cache.Take(address);
        if (cached is not null)
        {
            if (!cached.InUse)
            {
                cached.InUse = true;
                inUse.Add(cached);
            }

            return cached;
        }

        return LoadNode(address);
    }

    private void ReturnNode(Node<K> node, int depth) => cache.Put(node, depth);

    private Node<K> LoadNode(ulong address)
    {
        var node = Acquire();
        ReadNode(node, address);
        return node;
    }

    private void ReadNode(Node<K> node, ulong address)
    {
        var chunkSize = (ulong)pageSize.Bytes + ChunkAllocator.ChunkHeaderSize;
        var first = AllocatorOffset + ChunkAllocator.HeaderSize + ChunkAllocator.ChunkHeaderSize;
        if (address < first || (address - first) % chunkSize != 0 || address + NodeLayoutV1.HeaderSize > memory.SizeInBytes())
        {
            throw new CorruptMemoryException(
                $"BTreeMap node address {address} is not a chunk inside the memory ({memory.SizeInBytes()} bytes, {chunkSize}-byte chunks from offset {first})");
        }

        Span<byte> header = stackalloc byte[NodeLayoutV1.HeaderSize];
        memory.Read(address, header);
        if (!header[..3].SequenceEqual("BTN"u8))
        {
            throw new CorruptMemoryException(
                $"bad BTreeMap node magic at offset {address}: expected \"BTN\", found {Convert.ToHexStringLower(header[..3])}");
        }

        var version = header[3];
        var type = header[4];
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(header[5..]);
        if (type > 1)
        {
            throw new CorruptMemoryException($"BTreeMap node at offset {address} has unknown node type {type}");
        }

        if (entries == 0 || entries > Node<K>.Capacity)
        {
            throw new CorruptMemoryException(
                $"BTreeMap node at offset {address} claims {entries} entries; a node holds 1 to {Node<K>.Capacity}");
        }

        var isInternal = type == 1;
        switch (version)
        {
            case 1:
                if (!pageSize.IsDerived)
                {
                    throw new CorruptMemoryException($"BTreeMap node at offset {address} is version 1 in a map without v1 bounds");
                }

                node.Reset(memory, address, (NodeType)type, isV1: true, pageSize);
                NodeLayoutV1.Load(node, keyCodec, entries, isInternal);
                break;
            case 2:
                node.Reset(memory, address, (NodeType)type, isV1: false, pageSize);
                NodeLayoutV2.Load(node, keyCodec, entries, isInternal, ref scratch);
                break;
            default:
                throw new CorruptMemoryException($"BTreeMap node at offset {address} has unsupported layout version {version}");
        }
    }

    private Node<K> AllocateNode(NodeType type)
    {
        var address = allocator.Allocate();
        var node = Acquire();
        node.Reset(memory, address, type, createsV1Nodes, pageSize);
        return node;
    }

    private void SaveNode(Node<K> node)
    {
        SaveNodeRaw(node);
        cache.Invalidate(node.Address);
    }

    private void SaveNodeRaw(Node<K> node)
    {
        if (node.IsV1)
        {
            NodeLayoutV1.Save(node, keyCodec, ref scratch);
        }
        else
        {
            NodeLayoutV2.Save(node, keyCodec, allocator, ref scratch);
        }
    }

    private void DeallocateNode(Node<K> node)
    {
        var address = node.Address;
        FreeNodeChunks(node);
        cache.Invalidate(address);
    }

    private void FreeNodeChunks(Node<K> node)
    {
        foreach (var overflow in node.Overflows)
        {
            allocator.Deallocate(overflow);
        }

        allocator.Deallocate(node.Address);
    }

    private static void CheckDepth(int depth, ulong address)
    {
        if (depth >= MaxDepth)
        {
            throw new CorruptMemoryException(
                $"BTreeMap path reached depth {depth} at node offset {address}: the node addresses form a cycle");
        }
    }

    private void SaveHeader()
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        "BTR"u8.CopyTo(header);
        if (pageSize.IsDerived)
        {
            header[3] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], pageSize.MaxKeySize);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], pageSize.MaxValueSize);
        }
        else
        {
            header[3] = 2;
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], pageSize.Bytes);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], PageSizeMarker);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], rootAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(header[20..], LongCount);
        StableWrite.Write(memory, 0, header);
    }
}
