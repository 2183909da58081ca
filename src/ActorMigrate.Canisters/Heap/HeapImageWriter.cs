using System.Buffers;
using System.Buffers.Binary;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// Appends the fields of a <see cref="HeapImage"/>: fixed-size integers, LEB128 counts and elements
/// (LEB128 length + bytes). Every element carries its length, whatever its codec, so an image can be
/// read, copied and digested without the codecs that wrote it.
/// </summary>
internal sealed class HeapImageWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(256);

    public int Length => buffer.WrittenCount;

    public void WriteByte(byte value) => buffer.Write([value]);

    public void WriteI64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteLeb128(ulong value)
    {
        var span = buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        buffer.Advance(i);
    }

    public void WriteElement(ReadOnlySpan<byte> bytes)
    {
        WriteLeb128((ulong)bytes.Length);
        buffer.Write(bytes);
    }

    public void WriteElement<T>(IStorable<T> codec, T value)
    {
        var size = codec.SizeOf(value);
        WriteLeb128((ulong)size);
        codec.Write(value, buffer.GetSpan(size)[..size]);
        buffer.Advance(size);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    /// <summary>What starts a heap image or delta: magic, layout version, heap size, live bytes and container count.</summary>
    public void WriteHeapHeader(ReadOnlySpan<byte> magic, byte version, long sizeBytes, long liveBytes, int containerCount)
    {
        WriteRaw(magic);
        WriteByte(version);
        WriteI64(sizeBytes);
        WriteI64(liveBytes);
        WriteU32((uint)containerCount);
    }

    /// <summary>What starts every container of an image or delta: its name, kind and live bytes.</summary>
    public void WriteContainerHead(string name, HeapContainerKind kind, long liveBytes)
    {
        WriteElement(System.Text.Encoding.UTF8.GetBytes(name));
        WriteByte((byte)kind);
        WriteI64(liveBytes);
    }

    public ReadOnlySpan<byte> Written => buffer.WrittenSpan;

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();
}
