using System.Buffers.Binary;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>Reads the fields <see cref="HeapImageWriter"/> writes; a short or malformed image throws <see cref="CorruptMemoryException"/> naming the offset.</summary>
internal ref struct HeapImageReader(ReadOnlySpan<byte> bytes, string what)
{
    private readonly ReadOnlySpan<byte> bytes = bytes;
    private int position;

    public readonly bool End => position == bytes.Length;

    public readonly int Position => position;

    public ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > bytes.Length - position)
        {
            throw new CorruptMemoryException($"{what} ends inside {field}: {count} bytes needed at offset {position}, {bytes.Length - position} left");
        }

        var slice = bytes.Slice(position, count);
        position += count;
        return slice;
    }

    public byte ReadByte(string field) => Take(1, field)[0];

    public long ReadI64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public uint ReadU32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong ReadLeb128(string field)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= bytes.Length || shift > 63)
            {
                throw new CorruptMemoryException($"{what} has a bad LEB128 {field} at offset {position}");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    public ReadOnlySpan<byte> ReadElement(string field)
    {
        var length = ReadLeb128(field + " length");
        return Take(length > int.MaxValue ? -1 : (int)length, field);
    }

    public T ReadElement<T>(IStorable<T> codec, string field) => codec.Read(ReadElement(field));

    /// <summary>Fails unless every byte was read.</summary>
    /// <summary>A container's name, kind and live bytes (<see cref="HeapImageWriter.WriteContainerHead"/>); an unknown kind is refused with its offset.</summary>
    public (string Name, HeapContainerKind Kind, long LiveBytes) ReadContainerHead(uint index)
    {
        var name = System.Text.Encoding.UTF8.GetString(ReadElement($"name of container #{index}"));
        var kind = (HeapContainerKind)ReadByte($"kind of container '{name}'");
        if (!Enum.IsDefined(kind))
        {
            throw new CorruptMemoryException($"{what}: container '{name}' has unknown kind {(byte)kind} (offset {position - 1})");
        }

        return (name, kind, ReadI64($"live bytes of container '{name}'"));
    }

    public readonly void ExpectEnd()
    {
        if (position != bytes.Length)
        {
            throw new CorruptMemoryException($"{what} has {bytes.Length - position} bytes after its last field (offset {position})");
        }
    }
}
