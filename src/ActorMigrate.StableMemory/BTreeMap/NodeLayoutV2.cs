using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The current node layout (version 2): variable-size nodes that start in one allocator chunk of the
/// page size and continue in overflow pages ("NOF") when they do not fit.
/// </summary>
/// <remarks>
/// Initial page (little-endian):
/// | offset        | size     | field                                              |
/// |---------------|----------|----------------------------------------------------|
/// | 0             | 3        | magic "BTN"                                        |
/// | 3             | 1        | layout version (2)                                 |
/// | 4             | 1        | node type (0 leaf, 1 internal)                     |
/// | 5             | 2        | number of entries k                                |
/// | 7             | 8        | first overflow page (0 = none)                     |
/// | 15            | 8(k+1)   | children (internal nodes only)                     |
/// | …             | …        | k keys: [4-byte size unless fixed-size] key bytes  |
/// | …             | …        | k values: 4-byte size, value bytes                 |
///
/// Overflow page (an allocator chunk of the page size):
/// | offset | size          | field                            |
/// |--------|---------------|----------------------------------|
/// | 0      | 3             | magic "NOF"                      |
/// | 3      | 8             | next overflow page (0 = last)    |
/// | 11     | page size − 11| the node's bytes, continued      |
///
/// A load reads the front of the initial page in one read (for key types bounded to 64 bytes or less),
/// keeps keys above 16 bytes and every value in memory until used; a save writes the header, then the
/// rest in few writes (slices of 48 bytes or more written directly), as the Rust library does.
/// </remarks>
internal static class NodeLayoutV2
{
    public const ulong OverflowAddressOffset = 7;
    public const ulong EntriesOffset = 15;
    public const ulong OverflowNextOffset = 3;
    public const ulong OverflowDataOffset = 11;
    public const uint MinimumPageSize = 128;
    private const int InitialPageReadCap = 1024;
    private const uint BatchedReadMaxKeySize = 64;
    private const int DirectWriteThreshold = 48;

    public static void Load<K>(Node<K> node, IStorable<K> keyCodec, int entries, bool isInternal, ref byte[] scratch)
    {
        var memory = node.Memory;
        var address = node.Address;
        var pageSize = node.PageSize.Bytes;
        var bound = keyCodec.Bound;

        // The batched read of the initial page's front.
        var target = 0UL;
        if (bound.IsBounded && bound.MaxSize <= BatchedReadMaxKeySize)
        {
            var children = isInternal ? (ulong)(entries + 1) * 8 : 0;
            var keyField = bound.IsFixedSize ? 0UL : 4UL;
            var keyBytes = (ulong)entries * (bound.MaxSize + keyField);
            target = Math.Min(EntriesOffset + children + keyBytes + ((ulong)entries * 4), InitialPageReadCap);
        }

        var memoryBytes = node.MemoryBytes;
        var pageLength = (int)Math.Min(Math.Min(pageSize, target), memoryBytes > address ? memoryBytes - address : 0);
        if (scratch.Length < pageLength)
        {
            scratch = new byte[Math.Max(pageLength, scratch.Length * 2)];
        }

        var page = scratch.AsSpan(0, pageLength);
        if (pageLength > 0)
        {
            memory.Read(address, page);
        }

        ulong firstOverflow;
        if (pageLength >= 15)
        {
            firstOverflow = BinaryPrimitives.ReadUInt64LittleEndian(page[7..]);
        }
        else
        {
            CheckInside(memory, address + OverflowAddressOffset, 8, address);
            firstOverflow = memory.ReadU64(address + OverflowAddressOffset);
        }

        ReadOverflows(node, firstOverflow);
        var capacity = (ulong)pageSize + ((ulong)node.OverflowCount * (pageSize - OverflowDataOffset));

        var offset = EntriesOffset;
        if (isInternal)
        {
            var count = entries + 1;
            Span<byte> children = stackalloc byte[count * 8];
            if ((ulong)pageLength >= offset + (ulong)children.Length)
            {
                page.Slice((int)offset, children.Length).CopyTo(children);
            }
            else
            {
                CheckExtent(node, offset, (ulong)children.Length, capacity);
                NodeReader.Read(node, offset, children);
            }

            for (var i = 0; i < count; i++)
            {
                node.AddChild(BinaryPrimitives.ReadUInt64LittleEndian(children[(i * 8)..]));
            }

            offset += (ulong)children.Length;
        }

        Span<byte> smallKey = stackalloc byte[Node<K>.EagerKeySize];
        for (var i = 0; i < entries; i++)
        {
            uint keySize;
            if (bound.IsFixedSize)
            {
                keySize = bound.MaxSize;
            }
            else
            {
                keySize = ReadU32(node, page, offset, capacity);
                offset += 4;
            }

            if (bound.IsBounded && keySize > bound.MaxSize)
            {
                throw new CorruptMemoryException(
                    $"BTreeMap node at offset {address}: key {i} is {keySize} bytes, but keys are at most {bound.MaxSize}");
            }

            CheckExtent(node, offset, keySize, capacity);
            if (keySize <= Node<K>.EagerKeySize)
            {
                var key = smallKey[..(int)keySize];
                if ((ulong)pageLength >= offset + keySize)
                {
                    page.Slice((int)offset, (int)keySize).CopyTo(key);
                }
                else
                {
                    NodeReader.Read(node, offset, key);
                }

                node.AddLoadedKey(keyCodec.Read(key));
            }
            else
            {
                node.AddLazyKey(offset, (int)keySize);
            }

            offset += keySize;
        }

        for (var i = 0; i < entries; i++)
        {
            var valueSize = ReadU32(node, page, offset, capacity);
            CheckExtent(node, offset + 4, valueSize, capacity);
            node.SetValueRef(i, offset, (int)valueSize);
            offset += 4 + valueSize;
        }
    }

    public static void Save<K>(Node<K> node, IStorable<K> keyCodec, ChunkAllocator allocator, ref byte[] buffer)
    {
        node.LoadAll();
        var writer = new NodeWriter(allocator, node.Address, node.PageSize.Bytes, node.Overflows);

        Span<byte> header = stackalloc byte[7];
        "BTN"u8.CopyTo(header);
        header[3] = 2;
        header[4] = (byte)node.Type;
        BinaryPrimitives.WriteUInt16LittleEndian(header[5..], (ushort)node.Count);
        writer.Write(0, header);

        var start = EntriesOffset;
        var used = 0;
        for (var i = 0; i < node.ChildCount; i++)
        {
            Ensure(ref buffer, used + 8);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), node.Child(i));
            used += 8;
        }

        var fixedKeys = keyCodec.Bound.IsFixedSize;
        for (var i = 0; i < node.Count; i++)
        {
            var raw = node.TryGetRawKey(i, out var encoding);
            var size = raw ? encoding.Length : keyCodec.SizeOf(node.Key(i));
            Ensure(ref buffer, used + 4 + size);
            if (!fixedKeys)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), (uint)size);
                used += 4;
            }

            if (raw)
            {
                encoding.CopyTo(buffer.AsSpan(used, size));
            }
            else
            {
                keyCodec.Write(node.Key(i), buffer.AsSpan(used, size));
            }

            if (size >= DirectWriteThreshold)
            {
                WriteDirect(ref writer, ref start, buffer, ref used, size);
            }
            else
            {
                used += size;
            }
        }

        for (var i = 0; i < node.Count; i++)
        {
            var value = node.Value(i);
            Ensure(ref buffer, used + 4 + value.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), (uint)value.Length);
            used += 4;
            if (value.Length >= DirectWriteThreshold)
            {
                if (used > 0)
                {
                    writer.Write(start, buffer.AsSpan(0, used));
                }

                start += (ulong)used;
                writer.Write(start, value);
                start += (ulong)value.Length;
                used = 0;
            }
            else
            {
                value.CopyTo(buffer.AsSpan(used));
                used += value.Length;
            }
        }

        if (used > 0)
        {
            writer.Write(start, buffer.AsSpan(0, used));
        }

        node.SetOverflows(writer.Finish());
    }

    // The pending bytes [0, used) precede a piece of `size` bytes that sits right after them in the
    // buffer: flush the pending bytes, then write the piece as its own write.
    private static void WriteDirect(ref NodeWriter writer, ref ulong start, byte[] buffer, ref int used, int size)
    {
        if (used > 0)
        {
            writer.Write(start, buffer.AsSpan(0, used));
        }

        start += (ulong)used;
        writer.Write(start, buffer.AsSpan(used, size));
        start += (ulong)size;
        used = 0;
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
        }
    }

    private static uint ReadU32<K>(Node<K> node, ReadOnlySpan<byte> page, ulong offset, ulong capacity)
    {
        if ((ulong)page.Length >= offset + 4)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(page[(int)offset..]);
        }

        CheckExtent(node, offset, 4, capacity);
        Span<byte> bytes = stackalloc byte[4];
        NodeReader.Read(node, offset, bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private static void ReadOverflows<K>(Node<K> node, ulong first)
    {
        if (first == 0)
        {
            node.SetOverflows([]);
            return;
        }

        var memory = node.Memory;
        var limit = memory.SizeInBytes() / node.PageSize.Bytes;
        Span<ulong> inline = stackalloc ulong[8];
        ulong[]? spill = null;
        var count = 0;
        Span<byte> header = stackalloc byte[11];
        for (var page = first; page != 0;)
        {
            if ((ulong)count >= limit)
            {
                throw new CorruptMemoryException(
                    $"BTreeMap node at offset {node.Address} has more overflow pages than fit the memory: the chain loops");
            }

            CheckInside(memory, page, 11, node.Address);
            memory.Read(page, header);
            if (header[0] != 'N' || header[1] != 'O' || header[2] != 'F')
            {
                throw new CorruptMemoryException(
                    $"bad overflow page magic at offset {page} (node at offset {node.Address}): expected \"NOF\", found {Convert.ToHexStringLower(header[..3])}");
            }

            if (count == inline.Length && spill is null)
            {
                spill = new ulong[16];
                inline.CopyTo(spill);
            }

            if (spill is not null)
            {
                if (count == spill.Length)
                {
                    Array.Resize(ref spill, spill.Length * 2);
                }

                spill[count++] = page;
            }
            else
            {
                inline[count++] = page;
            }

            page = BinaryPrimitives.ReadUInt64LittleEndian(header[3..]);
        }

        node.SetOverflows(spill is null ? inline[..count] : spill.AsSpan(0, count));
    }

    private static void CheckInside(IMemory memory, ulong address, ulong length, ulong node)
    {
        if (address + length > memory.SizeInBytes() || address + length < address)
        {
            throw new CorruptMemoryException(
                $"BTreeMap node at offset {node} refers to offset {address}, beyond the memory's {memory.SizeInBytes()} bytes");
        }
    }

    private static void CheckExtent<K>(Node<K> node, ulong offset, ulong length, ulong capacity)
    {
        if (offset + length > capacity)
        {
            throw new CorruptMemoryException(
                $"BTreeMap node at offset {node.Address} claims {offset + length} bytes of data, but its pages hold {capacity}");
        }
    }
}
