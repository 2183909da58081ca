using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class StableLogProperties
{
    public abstract record Op
    {
        public sealed record Append(byte[] Entry) : Op;

        public sealed record Reopen : Op;

        public sealed record Clear : Op;
    }

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (10, StructureGen.Bytes(70_000).Select(v => (Op)new Op.Append(v))),
        (2, Gen.Constant((Op)new Op.Reopen())),
        (1, Gen.Constant((Op)new Op.Clear())));

    internal static Arbitrary<Op[]> Ops { get; } = Gen.ArrayOf(OpGen).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property A_log_holds_what_a_list_holds_across_reopens() =>
        Prop.ForAll(Ops, ops => AgreesWithList(ops, (index, data) => StableLog<byte[]>.Init(index, data, Storable.Bytes)));

    [Fact]
    public void The_property_catches_a_log_reopened_with_its_two_memories_swapped()
    {
        // Passing the memory ids in the wrong order: the index memory is not "GLD" data, so Init formats a new log.
        var broken = Prop.ForAll(Ops, ops => AgreesWithList(ops, (index, data) => StableLog<byte[]>.Init(data, index, Storable.Bytes)));
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), broken));
    }

    /// <summary>Applies <paramref name="ops"/> to a log and to a List; true when they agree after every step.</summary>
    internal static bool AgreesWithList(Op[] ops, Func<IMemory, IMemory, StableLog<byte[]>> reopen)
    {
        var index = new SparseMemory();
        var data = new SparseMemory();
        var log = StableLog<byte[]>.Init(index, data, Storable.Bytes);
        var model = new List<byte[]>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case Op.Append append:
                    if (log.Append(append.Entry) != (ulong)model.Count)
                    {
                        return false;
                    }

                    model.Add(append.Entry);
                    break;
                case Op.Reopen:
                    log = reopen(index, data);
                    break;
                case Op.Clear:
                    log.Clear();
                    model.Clear();
                    break;
            }

            if (log.Count != (ulong)model.Count || log.LogSizeInBytes != (ulong)model.Sum(e => e.Length))
            {
                return false;
            }
        }

        var reopened = StableLog<byte[]>.Init(index, data, Storable.Bytes);
        return log.Select(Convert.ToHexString).SequenceEqual(model.Select(Convert.ToHexString))
            && reopened.Select(Convert.ToHexString).SequenceEqual(model.Select(Convert.ToHexString))
            && !reopened.TryGet((ulong)model.Count, out _);
    }
}
