namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The direct-mapped cache of loaded nodes of the Rust library (16 slots by default): a node's slot
/// is (address / page size) mod slots. The root and its children (depth 0–1) are pinned — a deeper
/// node never evicts them — while deeper nodes replace each other by recency. Read paths take a node
/// out and put it back; every save or free of a node invalidates its slot, so the cache never holds
/// bytes that differ from memory. It changes only how often memory is read, never what is written.
/// </summary>
internal sealed class NodeCache<K>
{
    public const int DefaultSlots = 16;

    private readonly Node<K>?[] nodes;
    private readonly ulong[] addresses;
    private readonly byte[] depths;
    private readonly ulong pageSize;
    private readonly Action<Node<K>> evicted;

    public NodeCache(uint pageSize, int slots, Action<Node<K>> evicted)
    {
        nodes = new Node<K>?[slots];
        addresses = new ulong[slots];
        depths = new byte[slots];
        this.pageSize = pageSize;
        this.evicted = evicted;
    }

    public int Slots => nodes.Length;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    private int SlotOf(ulong address) => (int)(address / pageSize % (ulong)nodes.Length);

    /// <summary>Removes and returns the cached node at <paramref name="address"/>, if that is what the slot holds.</summary>
    public Node<K>? Take(ulong address)
    {
        if (nodes.Length == 0 || address == 0)
        {
            return null;
        }

        var slot = SlotOf(address);
        var node = nodes[slot];
        if (node is not null && addresses[slot] == address)
        {
            Hits++;
            nodes[slot] = null;
            addresses[slot] = 0;
            depths[slot] = 0;
            node.InCache = false;
            return node;
        }

        Misses++;
        return null;
    }

    public void Put(Node<K> node, int depth)
    {
        if (nodes.Length == 0)
        {
            return;
        }

        var d = (byte)Math.Min(depth, byte.MaxValue);
        var slot = SlotOf(node.Address);
        var current = nodes[slot];
        var dominated = d <= depths[slot];
        var bothUnpinned = d > 1 && depths[slot] > 1;
        if (current is null || dominated || bothUnpinned)
        {
            if (current is not null && !ReferenceEquals(current, node))
            {
                current.InCache = false;
                evicted(current);
            }

            nodes[slot] = node;
            addresses[slot] = node.Address;
            depths[slot] = d;
            node.InCache = true;
        }
    }

    public void Invalidate(ulong address)
    {
        if (nodes.Length == 0)
        {
            return;
        }

        var slot = SlotOf(address);
        var node = nodes[slot];
        if (node is not null && addresses[slot] == address)
        {
            nodes[slot] = null;
            addresses[slot] = 0;
            depths[slot] = 0;
            node.InCache = false;
            evicted(node);
        }
    }

    public void Clear()
    {
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            if (node is not null)
            {
                nodes[i] = null;
                addresses[i] = 0;
                depths[i] = 0;
                node.InCache = false;
                evicted(node);
            }
        }
    }
}
