using System.Buffers.Binary;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>The encoding of <see cref="MigrationSettings"/> (kept in a heap cell between executions).</summary>
/// <remarks>
/// Layout (little-endian):
/// | offset | size | field                        |
/// |--------|------|------------------------------|
/// | 0      | 1    | policy                       |
/// | 1      | 1    | budget-driven (0/1)          |
/// | 2      | 4    | chunk size                   |
/// | 6      | 4    | slice share, permille        |
/// | 10     | 4    | triggers                     |
/// | 14     | 1    | atomic mode                  |
/// | 15     | 8    | timer interval, ticks        |
/// | 23     | 4    | atomic budget share, permille |
/// | 27     | 1    | start on upgrade (0/1)       |
/// </remarks>
public sealed class MigrationSettingsCodec : IStorable<MigrationSettings>
{
    private const int Size = 28;

    public static MigrationSettingsCodec Instance { get; } = new();

    public StorableBound Bound => StorableBound.Bounded(Size, isFixedSize: true);

    public int Compare(MigrationSettings? x, MigrationSettings? y) => throw new NotSupportedException("settings are not ordered");

    public int SizeOf(MigrationSettings value) => Size;

    public void Write(MigrationSettings v, Span<byte> d)
    {
        d[0] = (byte)v.Policy;
        d[1] = v.Sizing.BudgetDriven ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(d[2..], v.Sizing.ChunkSize);
        BinaryPrimitives.WriteInt32LittleEndian(d[6..], v.Sizing.SliceSharePermille);
        BinaryPrimitives.WriteInt32LittleEndian(d[10..], (int)v.Triggers);
        d[14] = (byte)v.Atomic;
        BinaryPrimitives.WriteInt64LittleEndian(d[15..], v.TimerInterval.Ticks);
        BinaryPrimitives.WriteInt32LittleEndian(d[23..], v.AtomicBudgetSharePermille);
        d[27] = v.StartOnUpgrade ? (byte)1 : (byte)0;
    }

    public MigrationSettings Read(ReadOnlySpan<byte> s) => new()
    {
        Policy = (RoutingPolicyKind)s[0],
        Sizing = new StepSizing
        {
            BudgetDriven = s[1] == 1,
            ChunkSize = BinaryPrimitives.ReadInt32LittleEndian(s[2..]),
            SliceSharePermille = BinaryPrimitives.ReadInt32LittleEndian(s[6..]),
        },
        Triggers = (MigrationTriggers)BinaryPrimitives.ReadInt32LittleEndian(s[10..]),
        Atomic = (AtomicMode)s[14],
        TimerInterval = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64LittleEndian(s[15..])),
        AtomicBudgetSharePermille = BinaryPrimitives.ReadInt32LittleEndian(s[23..]),
        StartOnUpgrade = s[27] == 1,
    };
}
