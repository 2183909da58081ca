using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// The compact encoding heap maps serialize to for an upgrade (what Candid is to a Rust canister, and
/// about as large: a fixed-size element is its bytes, any other is LEB128 length + bytes).
/// </summary>
/// <remarks>
/// | field            | size                                   |
/// |------------------|----------------------------------------|
/// | entry count      | LEB128                                 |
/// | per entry: key   | fixed size, or LEB128 length + bytes   |
/// | per entry: value | fixed size, or LEB128 length + bytes   |
/// </remarks>
public static class HeapSerialization
{
    public static byte[] Encode<K, V>(IReadOnlyCollection<KeyValuePair<K, V>> entries, IStorable<K> keys, IStorable<V> values)
    {
        long size = Leb128Size((ulong)entries.Count);
        foreach (var (key, value) in entries)
        {
            size += ElementSize(keys, key) + ElementSize(values, value);
        }

        var bytes = new byte[size];
        var position = WriteLeb128(bytes, 0, (ulong)entries.Count);
        foreach (var (key, value) in entries)
        {
            position = WriteElement(bytes, position, keys, key);
            position = WriteElement(bytes, position, values, value);
        }

        return bytes;
    }

    public static List<KeyValuePair<K, V>> Decode<K, V>(ReadOnlySpan<byte> bytes, IStorable<K> keys, IStorable<V> values)
    {
        var position = 0;
        var count = ReadLeb128(bytes, ref position);
        var entries = new List<KeyValuePair<K, V>>((int)Math.Min(count, 1 << 20));
        for (ulong i = 0; i < count; i++)
        {
            var key = ReadElement(bytes, ref position, keys);
            entries.Add(new(key, ReadElement(bytes, ref position, values)));
        }

        return entries;
    }

    private static long ElementSize<T>(IStorable<T> codec, T value)
    {
        var size = codec.SizeOf(value);
        return codec.Bound.IsFixedSize ? size : Leb128Size((ulong)size) + size;
    }

    private static int WriteElement<T>(byte[] bytes, int position, IStorable<T> codec, T value)
    {
        var size = codec.SizeOf(value);
        if (!codec.Bound.IsFixedSize)
        {
            position = WriteLeb128(bytes, position, (ulong)size);
        }

        codec.Write(value, bytes.AsSpan(position, size));
        return position + size;
    }

    private static T ReadElement<T>(ReadOnlySpan<byte> bytes, ref int position, IStorable<T> codec)
    {
        var size = codec.Bound.IsFixedSize ? (int)codec.Bound.MaxSize : (int)ReadLeb128(bytes, ref position);
        if (position + size > bytes.Length)
        {
            throw new CorruptMemoryException($"serialized heap state ends inside an element at byte {position} (needs {size} bytes of {bytes.Length})");
        }

        var value = codec.Read(bytes.Slice(position, size));
        position += size;
        return value;
    }

    private static int Leb128Size(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteLeb128(byte[] bytes, int position, ulong value)
    {
        while (value >= 0x80)
        {
            bytes[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[position++] = (byte)value;
        return position;
    }

    private static ulong ReadLeb128(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= bytes.Length || shift > 63)
            {
                throw new CorruptMemoryException($"serialized heap state has a bad LEB128 number at byte {position}");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
