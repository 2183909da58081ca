namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// One B-tree node in the heap, as loaded from either node layout (<see cref="NodeLayoutV1"/>,
/// <see cref="NodeLayoutV2"/>): up to 11 sorted entries and, for an internal node, one more child.
/// Keys above 16 bytes and all values stay in stable memory until first used, like the Rust
/// library's lazy entries, so a lookup reads only what it compares. Loaded values live in one
/// per-node byte arena and nodes are pooled by their map, so steady-state operations allocate little.
/// </summary>
internal sealed class Node<K>
{
    /// <summary>The minimum degree (Rust's <c>B</c>).</summary>
    public const int MinimumDegree = 6;

    /// <summary>The most entries a node holds (2B − 1).</summary>
    public const int Capacity = 2 * MinimumDegree - 1;

    /// <summary>Keys up to this many bytes are read when the node is loaded; larger ones on first use.</summary>
    public const int EagerKeySize = 16;

    private const long Loaded = -1;    // keyRefs: the key is decoded in `keys`
    private const long InArena = -2;   // keyRefs: the key's encoding is in the arena, not decoded yet

    private readonly IStorable<K> keyCodec;
    private readonly K[] keys = new K[Capacity + 1];
    private readonly long[] keyRefs = new long[Capacity + 1];
    private readonly int[] keySizes = new int[Capacity + 1];
    private readonly int[] keyOffsets = new int[Capacity + 1];
    private readonly bool keysByEncoding;
    private readonly long[] valueRefs = new long[Capacity + 1];
    private readonly int[] valueOffsets = new int[Capacity + 1];
    private readonly int[] valueLengths = new int[Capacity + 1];
    private readonly ulong[] children = new ulong[Capacity + 2];
    private byte[] arena = new byte[256];
    private int arenaUsed;
    private ulong[] overflows = new ulong[4];

    /// <summary>Where detached entries' values are copied; nodes outside a map (iterators) never detach entries.</summary>
    public EntryBuffers? Buffers { get; set; }

    public Node(IStorable<K> keyCodec)
    {
        this.keyCodec = keyCodec;
        keysByEncoding = keyCodec.OrdersByEncoding;
    }

    public ulong Address { get; private set; }

    public NodeType Type { get; private set; }

    /// <summary>True for a node in layout version 1 (saved back in that layout).</summary>
    public bool IsV1 { get; private set; }

    public NodePageSize PageSize { get; private set; }

    public IMemory Memory { get; private set; } = null!;

    /// <summary>The memory's size in bytes when last known (it only grows); bounds checks of reads use it.</summary>
    public ulong MemoryBytes { get; set; }

    public int Count { get; private set; }

    public int ChildCount { get; private set; }

    public int OverflowCount { get; private set; }

    public bool IsFull => Count >= Capacity;

    /// <summary>Fewer than B entries: removing one would break the B-tree invariant.</summary>
    public bool AtMinimum => Count < MinimumDegree;

    public bool CanRemoveEntryWithoutMerging => !AtMinimum;

    // Pool bookkeeping of the owning map.
    internal bool InCache { get; set; }

    internal bool InUse { get; set; }

    /// <summary>Makes this (pooled) object an empty node at <paramref name="address"/>.</summary>
    public void Reset(IMemory memory, ulong memoryBytes, ulong address, NodeType type, bool isV1, NodePageSize pageSize)
    {
        Memory = memory;
        MemoryBytes = memoryBytes;
        Address = address;
        Type = type;
        IsV1 = isV1;
        PageSize = pageSize;
        Count = 0;
        ChildCount = 0;
        OverflowCount = 0;
        arenaUsed = 0;
        Array.Clear(keys);
    }

    public ReadOnlySpan<ulong> Overflows => overflows.AsSpan(0, OverflowCount);

    public void SetOverflows(ReadOnlySpan<ulong> pages)
    {
        if (pages.Length > overflows.Length)
        {
            overflows = new ulong[Math.Max(pages.Length, overflows.Length * 2)];
        }

        pages.CopyTo(overflows);
        OverflowCount = pages.Length;
    }

    // ---- keys ----

    /// <summary>Appends a key already read (load time).</summary>
    public void AddLoadedKey(K key)
    {
        keys[Count] = key;
        keyRefs[Count] = Loaded;
        valueRefs[Count] = Loaded;
        valueLengths[Count] = 0;
        Count++;
    }

    /// <summary>Appends a key still in memory at node offset <paramref name="offset"/> (load time).</summary>
    public void AddLazyKey(ulong offset, int size)
    {
        keys[Count] = default!;
        keyRefs[Count] = (long)offset;
        keySizes[Count] = size;
        valueRefs[Count] = Loaded;
        valueLengths[Count] = 0;
        Count++;
    }

    /// <summary>Records where entry <paramref name="index"/>'s value is (load time); length -1 means its size prefix must be read.</summary>
    public void SetValueRef(int index, ulong offsetOfLengthField, int length)
    {
        valueRefs[index] = (long)offsetOfLengthField;
        valueLengths[index] = length;
    }

    public K Key(int index)
    {
        var state = keyRefs[index];
        if (state != Loaded)
        {
            if (state == InArena)
            {
                keys[index] = keyCodec.Read(arena.AsSpan(keyOffsets[index], keySizes[index]));
            }
            else if (keysByEncoding)
            {
                keys[index] = keyCodec.Read(KeyBytes(index));
            }
            else
            {
                var size = keySizes[index];
                var buffer = size <= 256 ? stackalloc byte[size] : new byte[size];
                NodeReader.Read(this, (ulong)state, buffer);
                keys[index] = keyCodec.Read(buffer);
            }

            keyRefs[index] = Loaded;
        }

        return keys[index];
    }

    /// <summary>
    /// The encoding of a key not yet decoded, read into the arena on first use (the one memory read the
    /// library's lazy key makes). Only for codecs that order by encoding.
    /// </summary>
    private ReadOnlySpan<byte> KeyBytes(int index)
    {
        var state = keyRefs[index];
        if (state >= 0)
        {
            var size = keySizes[index];
            var at = Reserve(size);
            NodeReader.Read(this, (ulong)state, arena.AsSpan(at, size));
            keyOffsets[index] = at;
            keyRefs[index] = InArena;
        }

        return arena.AsSpan(keyOffsets[index], keySizes[index]);
    }

    /// <summary>The stored encoding of key <paramref name="index"/> when it has not been decoded (so a save can copy it).</summary>
    public bool TryGetRawKey(int index, out ReadOnlySpan<byte> encoding)
    {
        if (keyRefs[index] == InArena || (keyRefs[index] >= 0 && keysByEncoding))
        {
            encoding = KeyBytes(index);
            return true;
        }

        encoding = default;
        return false;
    }

    /// <summary>
    /// Binary search with the key's encoding at hand: keys still in memory are compared by their bytes
    /// without being decoded, when the codec orders by encoding.
    /// </summary>
    public int Search(K key, ReadOnlySpan<byte> encoded)
    {
        if (!keysByEncoding)
        {
            return Search(key);
        }

        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var c = keyRefs[mid] == Loaded ? keyCodec.Compare(keys[mid], key) : KeyBytes(mid).SequenceCompareTo(encoded);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }

    /// <summary>Binary search: the index of <paramref name="key"/> (≥ 0) or the bitwise complement of where it belongs.</summary>
    public int Search(K key)
    {
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var c = keyCodec.Compare(Key(mid), key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }

    // ---- values ----

    public ReadOnlySpan<byte> Value(int index)
    {
        if (valueRefs[index] != Loaded)
        {
            LoadValue(index);
        }

        return arena.AsSpan(valueOffsets[index], valueLengths[index]);
    }

    /// <summary>
    /// Entry <paramref name="index"/>'s value without keeping it in the node (Rust's
    /// <c>read_value_uncached</c>): a later read reads memory again, as in the library.
    /// </summary>
    public ReadOnlySpan<byte> ValueUncached(int index, ref byte[] scratch)
    {
        if (valueRefs[index] == Loaded)
        {
            return arena.AsSpan(valueOffsets[index], valueLengths[index]);
        }

        var offset = (ulong)valueRefs[index];
        var length = valueLengths[index];
        if (length < 0)
        {
            Span<byte> prefix = stackalloc byte[4];
            NodeReader.Read(this, offset, prefix);
            length = ReadV1ValueLength(prefix);
        }

        if (scratch.Length < length)
        {
            scratch = new byte[Math.Max(length, scratch.Length * 2)];
        }

        var bytes = scratch.AsSpan(0, length);
        NodeReader.Read(this, offset + 4, bytes);
        return bytes;
    }

    private void LoadValue(int index)
    {
        var offset = (ulong)valueRefs[index];
        var length = valueLengths[index];
        if (length < 0)
        {
            Span<byte> prefix = stackalloc byte[4];
            NodeReader.Read(this, offset, prefix);
            length = ReadV1ValueLength(prefix);
        }

        var at = Reserve(length);
        NodeReader.Read(this, offset + 4, arena.AsSpan(at, length));
        valueOffsets[index] = at;
        valueLengths[index] = length;
        valueRefs[index] = Loaded;
    }

    // A v1 value slot holds at most the map's max value size; a larger size field is corruption.
    private int ReadV1ValueLength(ReadOnlySpan<byte> prefix)
    {
        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length > PageSize.MaxValueSize)
        {
            throw new CorruptMemoryException(
                $"BTreeMap v1 node at offset {Address} has a {length}-byte value, but values are at most {PageSize.MaxValueSize}");
        }

        return (int)length;
    }

    /// <summary>Loads every key and value, so that the node can be rewritten over its own bytes.</summary>
    public void LoadAll()
    {
        // Room for every value and key not loaded yet, made at once: reserving them one by one grew the
        // arena by doubling, a fresh array each time, for every node a write rewrites.
        var needed = 0;
        for (var i = 0; i < Count; i++)
        {
            if (valueRefs[i] != Loaded && valueLengths[i] > 0)
            {
                needed += valueLengths[i];
            }

            if (keyRefs[i] >= 0 && keysByEncoding)
            {
                needed += keySizes[i];
            }
        }

        if (arenaUsed + needed > arena.Length)
        {
            Compact(needed);
        }

        for (var i = 0; i < Count; i++)
        {
            if (keyRefs[i] >= 0)
            {
                if (keysByEncoding)
                {
                    KeyBytes(i);
                }
                else
                {
                    Key(i);
                }
            }

            Value(i);
        }
    }

    private int Reserve(int length)
    {
        if (arenaUsed + length > arena.Length)
        {
            Compact(length);
        }

        var at = arenaUsed;
        arenaUsed += length;
        return at;
    }

    // Moves the live (loaded) values to a fresh arena with room for `extra` more bytes.
    private void Compact(int extra)
    {
        var live = 0;
        for (var i = 0; i < Count; i++)
        {
            if (valueRefs[i] == Loaded)
            {
                live += valueLengths[i];
            }

            if (keyRefs[i] == InArena)
            {
                live += keySizes[i];
            }
        }

        var fresh = new byte[Math.Max(arena.Length, (live + extra) * 2)];
        var used = 0;
        for (var i = 0; i < Count; i++)
        {
            if (valueRefs[i] == Loaded)
            {
                arena.AsSpan(valueOffsets[i], valueLengths[i]).CopyTo(fresh.AsSpan(used));
                valueOffsets[i] = used;
                used += valueLengths[i];
            }

            if (keyRefs[i] == InArena)
            {
                arena.AsSpan(keyOffsets[i], keySizes[i]).CopyTo(fresh.AsSpan(used));
                keyOffsets[i] = used;
                used += keySizes[i];
            }
        }

        arena = fresh;
        arenaUsed = used;
    }

    private void StoreValue(int index, ReadOnlySpan<byte> value)
    {
        // The source may be this node's own arena (moving entries within a node), so reserve first
        // and copy from a stable view: Reserve may compact into a new array.
        var length = value.Length;
        if (arenaUsed + length > arena.Length)
        {
            var copy = value.ToArray();
            var at = Reserve(length);
            copy.CopyTo(arena.AsSpan(at));
            valueOffsets[index] = at;
        }
        else
        {
            var at = Reserve(length);
            value.CopyTo(arena.AsSpan(at));
            valueOffsets[index] = at;
        }

        valueLengths[index] = length;
        valueRefs[index] = Loaded;
    }

    // ---- entry edits (mirror the Rust node's methods) ----

    public void InsertEntry(int index, K key, ReadOnlySpan<byte> value)
    {
        ShiftRight(index);
        keys[index] = key;
        keyRefs[index] = Loaded;
        Count++;
        StoreValue(index, value);
    }

    public void PushEntry(K key, ReadOnlySpan<byte> value) => InsertEntry(Count, key, value);

    public DetachedEntry<K> RemoveEntry(int index)
    {
        var value = Value(index);
        var entry = new DetachedEntry<K>(Key(index), Detach(value), value.Length);
        ShiftLeft(index);
        Count--;
        keys[Count] = default!;
        return entry;
    }

    public DetachedEntry<K> PopEntry() => RemoveEntry(Count - 1);

    private byte[] Detach(ReadOnlySpan<byte> value) => Buffers is { } buffers ? buffers.Copy(value) : value.ToArray();

    /// <summary>Removes entry <paramref name="index"/> whose key and value the caller has already read.</summary>
    public void DeleteEntry(int index)
    {
        ShiftLeft(index);
        Count--;
        keys[Count] = default!;
    }

    public DetachedEntry<K> SwapEntry(int index, K key, ReadOnlySpan<byte> value)
    {
        var current = Value(index);
        var old = new DetachedEntry<K>(Key(index), Detach(current), current.Length);
        keys[index] = key;
        keyRefs[index] = Loaded;
        StoreValue(index, value);
        return old;
    }

    /// <summary>Replaces entry <paramref name="index"/>'s value; the old one must have been read before.</summary>
    public void SetValue(int index, ReadOnlySpan<byte> value) => StoreValue(index, value);

    private void ShiftRight(int index)
    {
        for (var i = Count; i > index; i--)
        {
            keys[i] = keys[i - 1];
            keyRefs[i] = keyRefs[i - 1];
            keySizes[i] = keySizes[i - 1];
            keyOffsets[i] = keyOffsets[i - 1];
            valueRefs[i] = valueRefs[i - 1];
            valueOffsets[i] = valueOffsets[i - 1];
            valueLengths[i] = valueLengths[i - 1];
        }
    }

    private void ShiftLeft(int index)
    {
        for (var i = index; i < Count - 1; i++)
        {
            keys[i] = keys[i + 1];
            keyRefs[i] = keyRefs[i + 1];
            keySizes[i] = keySizes[i + 1];
            keyOffsets[i] = keyOffsets[i + 1];
            valueRefs[i] = valueRefs[i + 1];
            valueOffsets[i] = valueOffsets[i + 1];
            valueLengths[i] = valueLengths[i + 1];
        }
    }

    // ---- children ----

    public ulong Child(int index) => children[index];

    public void AddChild(ulong address) => children[ChildCount++] = address;

    public void InsertChild(int index, ulong address)
    {
        Array.Copy(children, index, children, index + 1, ChildCount - index);
        children[index] = address;
        ChildCount++;
    }

    public ulong RemoveChild(int index)
    {
        var child = children[index];
        Array.Copy(children, index + 1, children, index, ChildCount - index - 1);
        ChildCount--;
        return child;
    }

    public ulong? PopChild() => ChildCount == 0 ? null : children[--ChildCount];

    /// <summary>Appends entry <paramref name="sourceIndex"/> of another node, keeping an undecoded key undecoded.</summary>
    private void AppendEntryFrom(Node<K> source, int sourceIndex)
    {
        Count++;
        SetEntryFrom(Count - 1, source, sourceIndex);
    }

    private void SetEntryFrom(int index, Node<K> source, int sourceIndex)
    {
        if (source.TryGetRawKey(sourceIndex, out var raw))
        {
            var at = Reserve(raw.Length);
            raw.CopyTo(arena.AsSpan(at));
            keys[index] = default!;
            keyOffsets[index] = at;
            keySizes[index] = raw.Length;
            keyRefs[index] = InArena;
        }
        else
        {
            keys[index] = source.Key(sourceIndex);
            keyRefs[index] = Loaded;
        }

        valueRefs[index] = Loaded;
        valueLengths[index] = 0;
        StoreValue(index, source.Value(sourceIndex));
    }

    /// <summary>
    /// Moves the entries from index B on (and the children from B on) into the empty
    /// <paramref name="sibling"/> and returns the median entry B − 1, which leaves this node.
    /// </summary>
    public DetachedEntry<K> Split(Node<K> sibling)
    {
        for (var i = MinimumDegree; i < Count; i++)
        {
            sibling.AppendEntryFrom(this, i);
        }

        for (var i = Count - 1; i >= MinimumDegree; i--)
        {
            keys[i] = default!;
        }

        Count = MinimumDegree;
        if (Type == NodeType.Internal)
        {
            for (var i = MinimumDegree; i < ChildCount; i++)
            {
                sibling.AddChild(children[i]);
            }

            ChildCount = MinimumDegree;
        }

        return PopEntry();
    }

    /// <summary>
    /// Puts all of <paramref name="source"/>'s entries and children and the median into this node, in
    /// key order (the Rust <c>Node::merge</c> minus the save and free, which the map does).
    /// </summary>
    public void MergeFrom(Node<K> source, DetachedEntry<K> median)
    {
        source.LoadAll();
        LoadAll();
        if (keyCodec.Compare(source.Key(0), Key(0)) > 0)
        {
            PushEntry(median.Key, median.Value);
            for (var i = 0; i < source.Count; i++)
            {
                AppendEntryFrom(source, i);
            }

            for (var i = 0; i < source.ChildCount; i++)
            {
                AddChild(source.children[i]);
            }
        }
        else
        {
            // Prepend: source entries, median, then ours.
            var ours = Count;
            var total = source.Count + 1 + ours;
            var shift = source.Count + 1;
            for (var i = ours - 1; i >= 0; i--)
            {
                keys[i + shift] = keys[i];
                keyRefs[i + shift] = keyRefs[i];
                keySizes[i + shift] = keySizes[i];
                keyOffsets[i + shift] = keyOffsets[i];
                valueRefs[i + shift] = valueRefs[i];
                valueOffsets[i + shift] = valueOffsets[i];
                valueLengths[i + shift] = valueLengths[i];
            }

            Count = total;
            for (var i = 0; i < shift; i++)
            {
                keyRefs[i] = Loaded;
                valueRefs[i] = Loaded;
                valueLengths[i] = 0;
            }

            for (var i = 0; i < source.Count; i++)
            {
                SetEntryFrom(i, source, i);
            }

            keys[source.Count] = median.Key;
            keyRefs[source.Count] = Loaded;
            StoreValue(source.Count, median.Value);

            if (source.ChildCount > 0)
            {
                Array.Copy(children, 0, children, source.ChildCount, ChildCount);
                Array.Copy(source.children, 0, children, 0, source.ChildCount);
                ChildCount += source.ChildCount;
            }
        }
    }
}
