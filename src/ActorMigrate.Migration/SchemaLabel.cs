using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// Which schema a canister's data is in, as written in virtual memory 0 (<see cref="StableLayout.SchemaLabelMemory"/>).
/// </summary>
/// <remarks>
/// Layout (in its virtual memory):
/// | offset | size | field                                                        |
/// |--------|------|--------------------------------------------------------------|
/// | 0      | 4    | label, 4 ASCII bytes ("HEAP", "STBL", …)                      |
/// | 4      | 32   | SHA-256 over the domain separator then the 4 label bytes      |
///
/// The checksum tells a label from stray bytes: a memory whose checksum does not match holds no label.
/// </remarks>
public readonly record struct SchemaLabel
{
    public const int Size = 36;
    private static readonly byte[] DomainSeparator = Encoding.ASCII.GetBytes("actormigrate/schema-label/v1");

    public SchemaLabel(string text)
    {
        if (text.Length != 4 || text.Any(c => c > 127))
        {
            throw new ArgumentException($"a schema label is 4 ASCII characters, not '{text}'", nameof(text));
        }

        Text = text;
    }

    public string Text { get; }

    /// <summary>Records on the Wasm heap (serialized through the upgrade blob).</summary>
    public static SchemaLabel Heap { get; } = new("HEAP");

    /// <summary>Records in a StableBTreeMap.</summary>
    public static SchemaLabel Stable { get; } = new("STBL");

    public override string ToString() => Text;

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        Encoding.ASCII.GetBytes(Text, bytes);
        Checksum(bytes.AsSpan(0, 4)).CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    /// <summary>The label in <paramref name="memory"/>, or null when it holds none (empty, or the checksum does not match).</summary>
    public static SchemaLabel? Read(IMemory memory)
    {
        if (memory.SizeInBytes() < Size)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Size];
        memory.Read(0, bytes);
        if (!Checksum(bytes[..4]).AsSpan().SequenceEqual(bytes[4..]) || bytes[..4].ContainsAnyExceptInRange((byte)32, (byte)126))
        {
            return null;
        }

        return new SchemaLabel(Encoding.ASCII.GetString(bytes[..4]));
    }

    public void Write(IMemory memory) => new StableWriter(memory).Write(Encode());

    // Every upgrade reads the label and many steps write it, and a canister uses two or three labels:
    // the checksum of a printable label is computed once per process (SHA-256 context creation was a few
    // percent of a fuzz run). Other bytes (stray data where a label may be) are hashed each time, not kept.
    private static readonly ConcurrentDictionary<uint, byte[]> Checksums = new();

    private static byte[] Checksum(ReadOnlySpan<byte> label) =>
        label.ContainsAnyExceptInRange((byte)32, (byte)126)
            ? ComputeChecksum(BinaryPrimitives.ReadUInt32LittleEndian(label))
            : Checksums.GetOrAdd(BinaryPrimitives.ReadUInt32LittleEndian(label), ComputeChecksum);

    private static byte[] ComputeChecksum(uint label)
    {
        Span<byte> input = stackalloc byte[DomainSeparator.Length + 4];
        DomainSeparator.CopyTo(input);
        BinaryPrimitives.WriteUInt32LittleEndian(input[DomainSeparator.Length..], label);
        return SHA256.HashData(input);
    }
}
