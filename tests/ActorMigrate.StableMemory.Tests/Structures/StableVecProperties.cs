using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class StableVecProperties
{
    /// <summary>One step applied to both the StableVec and the List that models it.</summary>
    public abstract record Op
    {
        public sealed record Push(ulong Value) : Op;

        public sealed record Pop : Op;

        /// <summary>Sets the element at <c>Position mod Count</c> (skipped on an empty vector).</summary>
        public sealed record Set(int Position, ulong Value) : Op;

        /// <summary>Drops the object and opens the memory again, as a canister does after an upgrade.</summary>
        public sealed record Reopen : Op;

        public sealed record Clear : Op;
    }

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (8, StructureGen.U64.Select(v => (Op)new Op.Push(v))),
        (3, Gen.Constant((Op)new Op.Pop())),
        (4, Gen.Zip(Gen.Choose(0, int.MaxValue), StructureGen.U64).Select(t => (Op)new Op.Set(t.Item1, t.Item2))),
        (2, Gen.Constant((Op)new Op.Reopen())),
        (1, Gen.Constant((Op)new Op.Clear())));

    internal static Arbitrary<Op[]> Ops { get; } = Gen.ArrayOf(OpGen).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property A_vec_holds_what_a_list_holds_across_reopens() =>
        Prop.ForAll(Ops, ops => AgreesWithList(ops, memory => StableVec<ulong>.Init(memory, Storable.U64)));

    [Fact]
    public void The_property_catches_a_vec_reopened_with_New_instead_of_Init()
    {
        // The classic post_upgrade bug: `new` formats the memory, so every element is lost.
        var broken = Prop.ForAll(Ops, ops => AgreesWithList(ops, memory => StableVec<ulong>.New(memory, Storable.U64)));
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), broken));
    }

    [Property(MaxTest = 100)]
    public Property A_vec_of_large_blobs_grows_page_by_page_and_keeps_every_element() =>
        Prop.ForAll(
            Gen.Choose(0, 120).SelectMany(n => Gen.ArrayOf(StructureGen.Bytes(3000), n)).ToArbitrary(),
            values =>
            {
                var codec = Storable.Blob(3000);
                var vec = StableVec<Blob>.Init(new SparseMemory(), codec);
                foreach (var value in values)
                {
                    vec.Push(new Blob(value));
                }

                var reopened = StableVec<Blob>.Init(vec.Memory, codec);
                // Like Rust's safe_write, a push grows the memory to the end of the bytes written, not of the slot.
                var end = values.Length == 0 ? 64UL : 64 + ((ulong)(values.Length - 1) * 3002) + 2 + (ulong)values[^1].Length;
                var pagesNeeded = (end + 65535) / 65536;
                return reopened.Select(b => b.ToHex()).SequenceEqual(values.Select(v => new Blob(v).ToHex()))
                    && vec.Memory.Size == pagesNeeded;
            });

    /// <summary>Applies <paramref name="ops"/> to a StableVec and to a List; true when they agree after every step.</summary>
    internal static bool AgreesWithList(Op[] ops, Func<IMemory, StableVec<ulong>> reopen)
    {
        var memory = new SparseMemory();
        var vec = StableVec<ulong>.Init(memory, Storable.U64);
        var model = new List<ulong>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case Op.Push push:
                    vec.Push(push.Value);
                    model.Add(push.Value);
                    break;
                case Op.Pop:
                    var popped = vec.TryPop(out var value);
                    if (popped != model.Count > 0 || (popped && value != model[^1]))
                    {
                        return false;
                    }

                    if (popped)
                    {
                        model.RemoveAt(model.Count - 1);
                    }

                    break;
                case Op.Set set when model.Count > 0:
                    var index = set.Position % model.Count;
                    vec.Set((ulong)index, set.Value);
                    model[index] = set.Value;
                    break;
                case Op.Reopen:
                    vec = reopen(memory);
                    break;
                case Op.Clear:
                    vec.Clear();
                    model.Clear();
                    break;
            }

            if (vec.Count != (ulong)model.Count)
            {
                return false;
            }
        }

        return vec.SequenceEqual(model) && StableVec<ulong>.Init(memory, Storable.U64).SequenceEqual(model);
    }
}
