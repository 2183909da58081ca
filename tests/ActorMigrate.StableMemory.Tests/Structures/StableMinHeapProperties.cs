using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class StableMinHeapProperties
{
    public abstract record Op
    {
        public sealed record Push(ulong Value) : Op;

        public sealed record Pop : Op;

        public sealed record Reopen : Op;

        public sealed record Clear : Op;
    }

    // Small values too, so that duplicates are common.
    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (5, StructureGen.U64.Select(v => (Op)new Op.Push(v))),
        (3, Gen.Choose(0, 20).Select(v => (Op)new Op.Push((ulong)v))),
        (5, Gen.Constant((Op)new Op.Pop())),
        (1, Gen.Constant((Op)new Op.Reopen())),
        (1, Gen.Constant((Op)new Op.Clear())));

    internal static Arbitrary<Op[]> Ops { get; } = Gen.ArrayOf(OpGen).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property A_min_heap_pops_what_a_priority_queue_pops_across_reopens() =>
        Prop.ForAll(Ops, ops => AgreesWithPriorityQueue(ops, Storable.U64));

    [Fact]
    public void The_property_catches_a_heap_whose_codec_orders_like_a_max_heap()
    {
        // A codec whose order does not match the type's: the heap is then a max-heap.
        var broken = Prop.ForAll(Ops, ops => AgreesWithPriorityQueue(ops, new ReversedU64()));
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), broken));
    }

    /// <summary>
    /// Applies <paramref name="ops"/> to a heap and to a PriorityQueue; true when every pop and peek agrees,
    /// the counts agree, and the heap array satisfies the heap property after every step.
    /// </summary>
    internal static bool AgreesWithPriorityQueue(Op[] ops, IStorable<ulong> codec)
    {
        var memory = new SparseMemory();
        var heap = StableMinHeap<ulong>.Init(memory, codec);
        var model = new PriorityQueue<ulong, ulong>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case Op.Push push:
                    heap.Push(push.Value);
                    model.Enqueue(push.Value, push.Value);
                    break;
                case Op.Pop:
                    var popped = heap.TryPop(out var value);
                    var expected = model.TryDequeue(out var smallest, out _);
                    if (popped != expected || (popped && value != smallest))
                    {
                        return false;
                    }

                    break;
                case Op.Reopen:
                    heap = StableMinHeap<ulong>.Init(memory, codec);
                    break;
                case Op.Clear:
                    heap.Clear();
                    model.Clear();
                    break;
            }

            var peeked = heap.TryPeek(out var top);
            if (heap.Count != (ulong)model.Count || peeked != model.TryPeek(out var modelTop, out _) || (peeked && top != modelTop))
            {
                return false;
            }

            if (!HeapOrdered(heap.ToArray()))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HeapOrdered(ulong[] array)
    {
        for (var i = 1; i < array.Length; i++)
        {
            if (array[i] < array[(i - 1) / 2])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The u64 codec with its order reversed.</summary>
    private sealed class ReversedU64 : IStorable<ulong>
    {
        public StorableBound Bound => Storable.U64.Bound;

        public int SizeOf(ulong value) => 8;

        public void Write(ulong value, Span<byte> destination) => Storable.U64.Write(value, destination);

        public ulong Read(ReadOnlySpan<byte> source) => Storable.U64.Read(source);

        public int Compare(ulong x, ulong y) => y.CompareTo(x);
    }
}
