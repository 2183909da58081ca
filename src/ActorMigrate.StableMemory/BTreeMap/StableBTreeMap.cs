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
public sealed partial class StableBTreeMap<K, V> : IEnumerable<KeyValuePair<K, V>>
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
    private readonly EntryBuffers entryBuffers = new();
    private byte[] scratch = new byte[1024];
    private byte[] valueScratch = new byte[256];
    private byte[] encoded = new byte[256];
    private byte[] searchKey = new byte[64];
    private int searchKeyLength;
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
        if (TryGetValueBytes(key, out var bytes))
        {
            value = valueCodec.Read(bytes);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// The encoding of the value stored under <paramref name="key"/>, as stored: the same memory reads as
    /// <see cref="TryGetValue"/>, without decoding. The span is valid until the map's next operation.
    /// </summary>
    public bool TryGetValueBytes(K key, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (rootAddress == 0)
        {
            return false;
        }

        PrepareSearchKey(key);
        try
        {
            var address = rootAddress;
            for (var depth = 0; ; depth++)
            {
                var node = TakeOrLoadNode(address, depth);
                var idx = node.Search(key, SearchKey);
                if (idx >= 0)
                {
                    bytes = node.ValueUncached(idx, ref valueScratch);
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

        PrepareSearchKey(key);
        try
        {
            var address = rootAddress;
            for (var depth = 0; ; depth++)
            {
                var node = TakeOrLoadNode(address, depth);
                var idx = node.Search(key, SearchKey);
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

    /// <summary>Loads a node for an iterator: a fresh object (or <paramref name="reuse"/>, one the iterator is done with), neither pooled nor cached.</summary>
    internal Node<K> LoadDetached(ulong address, Node<K>? reuse = null)
    {
        var node = reuse ?? new Node<K>(keyCodec);
        ReadNode(node, address);
        return node;
    }

    /// <summary>The encoding of the key the running operation looks for (see <see cref="PrepareSearchKey"/>).</summary>
    private ReadOnlySpan<byte> SearchKey => searchKey.AsSpan(0, searchKeyLength);

    // Nodes compare keys they have not decoded by their bytes, against this encoding of the key sought.
    private void PrepareSearchKey(K key)
    {
        if (!keyCodec.OrdersByEncoding)
        {
            return;
        }

        var size = keyCodec.SizeOf(key);
        if (searchKey.Length < size)
        {
            searchKey = new byte[Math.Max(size, searchKey.Length * 2)];
        }

        keyCodec.Write(key, searchKey.AsSpan(0, size));
        searchKeyLength = size;
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
