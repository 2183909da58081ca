namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// Reads a node as one contiguous byte range although it may span its initial page and a chain of
/// overflow pages (the Rust library's <c>NodeReader</c>). Node offset o lies in the initial page when
/// o &lt; page size, otherwise in overflow page 1 + (o − page size) / (page size − 11), at data offset
/// 11 + (o − page size) mod (page size − 11).
/// </summary>
internal static class NodeReader
{
    public static void Read<K>(Node<K> node, ulong offset, Span<byte> destination)
    {
        var pageSize = (ulong)node.PageSize.Bytes;
        var memory = node.Memory;
        if (offset + (ulong)destination.Length < pageSize)
        {
            if (node.Address + offset + (ulong)destination.Length > node.MemoryBytes
                && node.Address + offset + (ulong)destination.Length > (node.MemoryBytes = memory.SizeInBytes()))
            {
                throw new CorruptMemoryException(
                    $"BTreeMap node at offset {node.Address} extends beyond the memory's {memory.SizeInBytes()} bytes");
            }

            memory.Read(node.Address + offset, destination);
            return;
        }

        var capacity = pageSize - NodeLayoutV2.OverflowDataOffset;
        while (!destination.IsEmpty)
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

            var length = (int)Math.Min(pageEnd - offset, (ulong)destination.Length);
            ulong address;
            if (page == 0)
            {
                address = node.Address + inPage;
            }
            else if (page <= (ulong)node.OverflowCount)
            {
                address = node.Overflows[(int)page - 1] + inPage;
            }
            else
            {
                throw new CorruptMemoryException(
                    $"BTreeMap node at offset {node.Address} needs overflow page {page} to read node offset {offset}, but has only {node.OverflowCount}");
            }

            if (address + (ulong)length > node.MemoryBytes && address + (ulong)length > (node.MemoryBytes = memory.SizeInBytes()))
            {
                throw new CorruptMemoryException(
                    $"BTreeMap node at offset {node.Address} extends to {address + (ulong)length}, beyond the memory's {memory.SizeInBytes()} bytes");
            }

            memory.Read(address, destination[..length]);
            destination = destination[length..];
            offset += (ulong)length;
        }
    }
}
