namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// Writes a version-2 node as one contiguous byte range, allocating overflow pages from the
/// allocator when a write passes the end of the pages the node has, and freeing the pages it no
/// longer needs when done (the Rust library's <c>NodeWriter</c>, same allocation and free order).
/// </summary>
internal struct NodeWriter
{
    private readonly ChunkAllocator allocator;
    private readonly ulong address;
    private readonly ulong pageSize;
    private ulong[] overflows;
    private int overflowCount;
    private ulong maxOffset;

    public NodeWriter(ChunkAllocator allocator, ulong address, uint pageSize, ReadOnlySpan<ulong> overflows)
    {
        this.allocator = allocator;
        this.address = address;
        this.pageSize = pageSize;
        this.overflows = overflows.Length == 0 ? [] : overflows.ToArray();
        overflowCount = overflows.Length;
        maxOffset = 0;
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        var memory = allocator.Memory;
        var end = offset + (ulong)source.Length;
        if (end > maxOffset)
        {
            maxOffset = end;
        }

        if (end < pageSize)
        {
            StableWrite.Write(memory, address + offset, source);
            return;
        }

        var capacity = pageSize - NodeLayoutV2.OverflowDataOffset;
        while (!source.IsEmpty)
        {
            ulong page, inPage, pageEnd;
            if (offset < pageSize)
            {
                page = 0;
                inPage = offset;
                pageEnd = pageSize;
            }
            else
            {
                page = ((offset - pageSize) / capacity) + 1;
                inPage = NodeLayoutV2.OverflowDataOffset + ((offset - pageSize) % capacity);
                pageEnd = pageSize + (capacity * page);
            }

            var length = (int)Math.Min(pageEnd - offset, (ulong)source.Length);
            if (page == 0)
            {
                StableWrite.Write(memory, address + inPage, source[..length]);
            }
            else
            {
                if ((ulong)overflowCount < page)
                {
                    AllocateOverflowPage();
                }

                StableWrite.Write(memory, overflows[(int)page - 1] + inPage, source[..length]);
            }

            source = source[length..];
            offset += (ulong)length;
        }
    }

    /// <summary>Frees the overflow pages beyond what was written and terminates the chain; returns the pages kept.</summary>
    public ReadOnlySpan<ulong> Finish()
    {
        var memory = allocator.Memory;
        var needed = 0;
        if (maxOffset > pageSize)
        {
            var capacity = pageSize - NodeLayoutV2.OverflowDataOffset;
            needed = (int)((maxOffset - pageSize + capacity - 1) / capacity);
        }

        while (overflowCount > needed)
        {
            allocator.Deallocate(overflows[--overflowCount]);
        }

        if (overflowCount > 0)
        {
            StableWrite.WriteU64(memory, overflows[overflowCount - 1] + NodeLayoutV2.OverflowNextOffset, 0);
        }
        else
        {
            StableWrite.WriteU64(memory, address + NodeLayoutV2.OverflowAddressOffset, 0);
        }

        return overflows.AsSpan(0, overflowCount);
    }

    private void AllocateOverflowPage()
    {
        var memory = allocator.Memory;
        var page = allocator.Allocate();
        memory.Write(page, "NOF"u8);
        StableWrite.WriteU64(memory, page + NodeLayoutV2.OverflowNextOffset, 0);
        if (overflowCount > 0)
        {
            StableWrite.WriteU64(memory, overflows[overflowCount - 1] + NodeLayoutV2.OverflowNextOffset, page);
        }
        else
        {
            StableWrite.WriteU64(memory, address + NodeLayoutV2.OverflowAddressOffset, page);
        }

        if (overflowCount == overflows.Length)
        {
            Array.Resize(ref overflows, Math.Max(4, overflows.Length * 2));
        }

        overflows[overflowCount++] = page;
    }
}
