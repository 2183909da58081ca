using System.Text;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>The encoding of <see cref="MigrationState"/> in its StableCell.</summary>
/// <remarks>
/// Layout (little-endian):
/// | offset | size | field                                              |
/// |--------|------|----------------------------------------------------|
/// | 0      | 1    | layout version (1)                                 |
/// | 1      | 1    | phase                                              |
/// | 2      | 1    | direction                                          |
/// | 3      | 1    | routing policy                                     |
/// | 4      | 8    | epoch                                              |
/// | 12     | 4    | source schema label                                |
/// | 16     | 4    | target schema label                                |
/// | 20     | 8    | source count at start                              |
/// | 28     | 8    | migrated count                                     |
/// | 36     | 8    | logical digest                                     |
/// | 44     | 8    | target digest                                      |
/// | 52     | 8    | steps                                              |
/// | 60     | 8    | largest step's instructions                        |
/// | 68     | 1    | budget-driven (0/1)                                |
/// | 69     | 4    | chunk size                                         |
/// | 73     | 4    | slice share, permille                              |
/// | 77     | 4    | pointer length P + 1 (0: no pointer)               |
/// | 81     | P    | pointer (encoded key)                              |
/// | 81+P   | 4    | abort reason length R                              |
/// | 85+P   | R    | abort reason, UTF-8                                |
/// </remarks>
public sealed class MigrationStateCodec : IStorable<MigrationState>
{
    public const byte LayoutVersion = 1;

    public static MigrationStateCodec Instance { get; } = new();

    public StorableBound Bound => StorableBound.Unbounded;

    public int Compare(MigrationState? x, MigrationState? y) => throw new NotSupportedException("migration states are not ordered");

    public int SizeOf(MigrationState value) => 85 + (value.Pointer?.Length ?? 0) + Encoding.UTF8.GetByteCount(value.AbortReason);

    public void Write(MigrationState value, Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.U8(LayoutVersion);
        w.U8((byte)value.Phase);
        w.U8((byte)value.Direction);
        w.U8((byte)value.Policy);
        w.U64(value.Epoch);
        w.Bytes(Encoding.ASCII.GetBytes(value.SourceSchema.Text));
        w.Bytes(Encoding.ASCII.GetBytes(value.TargetSchema.Text));
        w.U64(value.SourceCountAtStart);
        w.U64(value.MigratedCount);
        w.U64(value.LogicalDigest);
        w.U64(value.TargetDigest);
        w.U64(value.Steps);
        w.U64((ulong)value.LargestStepInstructions);
        w.U8(value.Sizing.BudgetDriven ? (byte)1 : (byte)0);
        w.U32((uint)value.Sizing.ChunkSize);
        w.U32((uint)value.Sizing.SliceSharePermille);
        w.U32(value.Pointer is null ? 0 : (uint)value.Pointer.Length + 1);
        w.Bytes(value.Pointer ?? []);
        var reason = Encoding.UTF8.GetBytes(value.AbortReason);
        w.U32((uint)reason.Length);
        w.Bytes(reason);
    }

    public MigrationState Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < 85 || source[0] != LayoutVersion)
        {
            throw new CorruptMemoryException($"migration state: {source.Length} bytes with layout version {(source.Length > 0 ? source[0] : -1)}, expected at least 85 bytes of version {LayoutVersion}");
        }

        var r = new SpanReader(source);
        r.U8();
        var phase = (MigrationPhase)r.U8();
        var direction = (MigrationDirection)r.U8();
        var policy = (RoutingPolicyKind)r.U8();
        var epoch = r.U64();
        var sourceSchema = new SchemaLabel(Encoding.ASCII.GetString(r.Bytes(4)));
        var targetSchema = new SchemaLabel(Encoding.ASCII.GetString(r.Bytes(4)));
        var atStart = r.U64();
        var migrated = r.U64();
        var logical = r.U64();
        var target = r.U64();
        var steps = r.U64();
        var largest = (long)r.U64();
        var sizing = new StepSizing { BudgetDriven = r.U8() == 1, ChunkSize = (int)r.U32(), SliceSharePermille = (int)r.U32() };
        var pointerLength = r.U32();
        byte[]? pointer = pointerLength == 0 ? null : r.Bytes((int)pointerLength - 1).ToArray();
        var reason = Encoding.UTF8.GetString(r.Bytes((int)r.U32()));
        return new MigrationState(phase, direction, policy, epoch, pointer, sourceSchema, targetSchema, atStart, migrated, logical, target, steps, largest, sizing, reason);
    }

    private ref struct SpanWriter(Span<byte> span)
    {
        private readonly Span<byte> span = span;
        private int position;

        public void U8(byte value) => span[position++] = value;

        public void U32(uint value)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[position..], value);
            position += 4;
        }

        public void U64(ulong value)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(span[position..], value);
            position += 8;
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(span[position..]);
            position += bytes.Length;
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> span = span;
        private int position;

        public byte U8() => span[position++];

        public uint U32()
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
            position += 4;
            return value;
        }

        public ulong U64()
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(span[position..]);
            position += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length < 0 || position + length > span.Length)
            {
                throw new CorruptMemoryException($"migration state: a field of {length} bytes at offset {position} passes the end ({span.Length} bytes)");
            }

            var bytes = span.Slice(position, length);
            position += length;
            return bytes;
        }
    }
}
