using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>Node lifetime: loading (validated), saving, allocating and freeing nodes, the node cache and the pool of node objects an operation reuses.</summary>
public sealed partial class StableBTreeMap<K, V>
{
    private Node<K> Acquire()
    {
        var node = pool.Count > 0 ? pool.Pop() : new Node<K>(keyCodec) { Buffers = entryBuffers };
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
        var memoryBytes = memory.SizeInBytes();
        if (address < first || (address - first) % chunkSize != 0 || address + NodeLayoutV1.HeaderSize > memoryBytes)
        {
            throw new CorruptMemoryException(
                $"BTreeMap node address {address} is not a chunk inside the memory ({memoryBytes} bytes, {chunkSize}-byte chunks from offset {first})");
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

                node.Reset(memory, memoryBytes, address, (NodeType)type, isV1: true, pageSize);
                NodeLayoutV1.Load(node, keyCodec, entries, isInternal);
                break;
            case 2:
                node.Reset(memory, memoryBytes, address, (NodeType)type, isV1: false, pageSize);
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
        node.Reset(memory, memory.SizeInBytes(), address, type, createsV1Nodes, pageSize);
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
}
