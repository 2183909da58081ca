using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The legacy node layout (version 1): fixed-size nodes for bounded types only, each entry in a slot
/// of the maximum key and value size. Still read, and written back in this layout, for maps created
/// by old code (nodes a current map creates are version 2 with the derived page size).
/// </summary>
/// <remarks>
/// Layout (little-endian); node size = 7 + 11 × (8 + max key + max value) + 12 × 8:
/// | offset                      | size          | field                              |
/// |-----------------------------|---------------|------------------------------------|
/// | 0                           | 3             | magic "BTN"                        |
/// | 3                           | 1             | layout version (1)                 |
/// | 4                           | 1             | node type (0 leaf, 1 internal)     |
/// | 5                           | 2             | number of entries k                |
/// | 7 + i × e                   | 4             | key i size                         |
/// | 11 + i × e                  | max key       | key i (only its size is written)   |
/// | 11 + max key + i × e        | 4             | value i size                       |
/// | 15 + max key + i × e        | max value     | value i                            |
/// | 7 + k × e + j × 8           | 8             | child j (internal nodes, k + 1)    |
/// where e = 8 + max key + max value. Children follow the k entries actually present, not the
/// 11 slots; bytes after them are left as they were.
/// </remarks>
internal static class NodeLayoutV1
{
    public const int HeaderSize = 7;

    public static ulong NodeSize(uint maxKeySize, uint maxValueSize) =>
        HeaderSize + ((ulong)Node<int>.Capacity * (8UL + maxKeySize + maxValueSize)) + ((Node<int>.Capacity + 1UL) * 8);

    public static void Load<K>(Node<K> node, IStorable<K> keyCodec, int entries, bool isInternal)
    {
        var memory = node.Memory;
        var maxKey = node.PageSize.MaxKeySize;
        var maxValue = node.PageSize.MaxValueSize;
        var address = node.Address;
        ulong offset = HeaderSize;
        Span<byte> u32 = stackalloc byte[4];
        Span<byte> small = stackalloc byte[256];
        for (var i = 0; i < entries; i++)
        {
            NodeReader.Read(node, offset, u32);
            var keySize = BinaryPrimitives.ReadUInt32LittleEndian(u32);
            if (keySize > maxKey)
            {
                throw new CorruptMemoryException(
                    $"BTreeMap v1 node at offset {address}: key {i} is {keySize} bytes, but keys are at most {maxKey}");
            }

            var keyBytes = keySize <= 256 ? small[..(int)keySize] : new byte[keySize];
            NodeReader.Read(node, offset + 4, keyBytes);
            node.AddLoadedKey(keyCodec.Read(keyBytes));
            offset += 4 + maxKey;
            node.SetValueRef(i, offset, -1);
            offset += 4 + maxValue;
        }

        if (isInternal)
        {
            Span<byte> u64 = stackalloc byte[8];
            for (var i = 0; i <= entries; i++)
            {
                NodeReader.Read(node, offset, u64);
                node.AddChild(BinaryPrimitives.ReadUInt64LittleEndian(u64));
                offset += 8;
            }
        }
    }

    public static void Save<K>(Node<K> node, IStorable<K> keyCodec, ref byte[] scratch)
    {
        var memory = node.Memory;
        var address = node.Address;
        var maxKey = node.PageSize.MaxKeySize;
        var maxValue = node.PageSize.MaxValueSize;
        Span<byte> header = stackalloc byte[HeaderSize];
        "BTN"u8.CopyTo(header);
        header[3] = 1;
        header[4] = (byte)node.Type;
        BinaryPrimitives.WriteUInt16LittleEndian(header[5..], (ushort)node.Count);
        StableWrite.Write(memory, address, header);

        node.LoadAll();
        ulong offset = HeaderSize;
        Span<byte> u32 = stackalloc byte[4];
        for (var i = 0; i < node.Count; i++)
        {
            var raw = node.TryGetRawKey(i, out var encoding);
            var keySize = raw ? encoding.Length : keyCodec.SizeOf(node.Key(i));
            if (scratch.Length < keySize)
            {
                scratch = new byte[Math.Max(keySize, scratch.Length * 2)];
            }

            if (raw)
            {
                encoding.CopyTo(scratch);
            }
            else
            {
                keyCodec.Write(node.Key(i), scratch.AsSpan(0, keySize));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)keySize);
            StableWrite.Write(memory, address + offset, u32);
            offset += 4;
            StableWrite.Write(memory, address + offset, scratch.AsSpan(0, keySize));
            offset += maxKey;

            var value = node.Value(i);
            BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)value.Length);
            StableWrite.Write(memory, address + offset, u32);
            offset += 4;
            StableWrite.Write(memory, address + offset, value);
            offset += maxValue;
        }

        Span<byte> u64 = stackalloc byte[8];
        for (var i = 0; i < node.ChildCount; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(u64, node.Child(i));
            StableWrite.Write(memory, address + offset, u64);
            offset += 8;
        }
    }
}
