using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.StableMemory.Tests.MemoryManager;

using Manager = ActorMigrate.StableMemory.MemoryManager;

/// <summary>
/// Virtual memories behave like independent byte arrays, whatever the interleaving of grows, writes,
/// reads and reloads of the manager over several memories — and the property notices a manager that
/// maps a memory's buckets wrongly.
/// </summary>
public class VirtualMemoryProperties
{
    private static readonly int[] MemoryIds = [0, 1, 7, 254];

    /// <summary>A bucket size and 1–40 operations.</summary>
    public static Arbitrary<(ushort BucketSize, VirtualMemoryOp[] Ops)> Scenarios()
    {
        var memory = Gen.Elements(MemoryIds);
        var nearBoundary =
            from page in Gen.Frequency((3, Gen.Choose(0, 2)), (1, Gen.Choose(3, 8)))
            from delta in Gen.Choose(-70, 70)
            select (ulong)Math.Max(0, page * 65_536 + delta);
        var grow =
            from id in memory
            from pages in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 3)))
            select new VirtualMemoryOp(VirtualMemoryOpKind.Grow, id, 0, pages, 0);
        var access =
            from kind in Gen.Elements(VirtualMemoryOpKind.Write, VirtualMemoryOpKind.Read)
            from id in memory
            from offset in nearBoundary
            from length in Gen.Elements(0, 1, 8, 100, 3_000, 65_536, 70_000)
            from seed in Gen.Choose(0, 255)
            select new VirtualMemoryOp(kind, id, offset, length, (byte)seed);
        var reload = Gen.Constant(new VirtualMemoryOp(VirtualMemoryOpKind.Reload, 0, 0, 0, 0));
        var op = Gen.Frequency((5, grow), (8, access), (1, reload));
        var scenario =
            from bucketSize in Gen.Elements<ushort>(1, 2, 3)
            from count in Gen.Choose(1, 40)
            from ops in Gen.ArrayOf(op, count)
            select (bucketSize, ops);
        return scenario.ToArbitrary();
    }

    [Property(MaxTest = 150)]
    public Property Virtual_memories_behave_like_independent_byte_arrays_across_reloads() =>
        Prop.ForAll(Scenarios(), s => Holds(s.BucketSize, s.Ops, (memory, bucketSize) => Manager.Init(memory, bucketSize).Get));

    [Fact]
    public void The_property_catches_a_manager_that_maps_a_memorys_buckets_to_the_wrong_buckets()
    {
        var broken = Prop.ForAll(Scenarios(), s => Holds(s.BucketSize, s.Ops, BucketByPosition.Open));
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), broken));
    }

    /// <summary>The property body: every operation on the real memories agrees with the model.</summary>
    public static bool Holds(ushort bucketSize, VirtualMemoryOp[] ops, Func<IMemory, ushort, Func<int, IMemory>> open)
    {
        var underlying = new SparseMemory();
        var memories = open(underlying, bucketSize);
        var model = new VirtualMemoryModel();
        foreach (var op in ops)
        {
            switch (op.Kind)
            {
                case VirtualMemoryOpKind.Grow:
                    Equal(model.Grow(op.MemoryId, op.Length), memories(op.MemoryId).Grow((ulong)op.Length), op);
                    break;
                case VirtualMemoryOpKind.Write:
                    var data = op.Data();
                    if (Accessible(model, memories, op, m => m.Write(op.Offset, data)))
                    {
                        data.CopyTo(model.Of(op.MemoryId), (int)op.Offset);
                    }

                    break;
                case VirtualMemoryOpKind.Read:
                    var read = new byte[op.Length];
                    if (Accessible(model, memories, op, m => m.Read(op.Offset, read)) &&
                        !read.AsSpan().SequenceEqual(model.Of(op.MemoryId).AsSpan((int)op.Offset, op.Length)))
                    {
                        throw new InvalidOperationException($"{op} read other bytes than were written");
                    }

                    break;
                default:
                    // Reload with another default bucket size: the stored one must win.
                    memories = open(underlying, (ushort)(bucketSize + 5));
                    break;
            }

            foreach (var id in MemoryIds)
            {
                Equal(model.Of(id).Length / 65_536, (long)memories(id).Size, $"size of memory {id} after {op}");
            }
        }

        memories = open(underlying, bucketSize);
        foreach (var id in MemoryIds)
        {
            var all = new byte[model.Of(id).Length];
            memories(id).Read(0, all);
            if (!all.AsSpan().SequenceEqual(model.Of(id)))
            {
                throw new InvalidOperationException($"memory {id} differs from the model after a final reload");
            }
        }

        return true;
    }

    /// <summary>True when the access is in bounds; an out-of-bounds access must throw the dedicated exception.</summary>
    private static bool Accessible(VirtualMemoryModel model, Func<int, IMemory> memories, VirtualMemoryOp op, Action<IMemory> access)
    {
        if (model.InBounds(op.MemoryId, op.Offset, op.Length))
        {
            access(memories(op.MemoryId));
            return true;
        }

        try
        {
            access(memories(op.MemoryId));
        }
        catch (StableMemoryOutOfBoundsException)
        {
            return false;
        }

        throw new InvalidOperationException($"{op} is out of bounds but did not throw");
    }

    private static void Equal(long expected, long actual, object what)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"{what}: expected {expected}, got {actual}");
        }
    }
}
