using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class StableCellProperties
{
    public abstract record Op
    {
        public sealed record Set(byte[] Value) : Op;

        /// <summary>Drops the cell and opens the memory again (with a default that must not win).</summary>
        public sealed record Reopen : Op;
    }

    private static readonly byte[] Default = [0xde, 0xfa, 0x17];

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (4, StructureGen.Bytes(140_000).Select(v => (Op)new Op.Set(v))),
        (2, Gen.Constant((Op)new Op.Reopen())));

    internal static Arbitrary<Op[]> Ops { get; } = Gen.ArrayOf(OpGen).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property A_cell_holds_the_last_value_set_across_reopens() =>
        Prop.ForAll(Ops, ops => AgreesWithModel(ops, memory => StableCell<byte[]>.Init(memory, Storable.Bytes, Default)));

    [Fact]
    public void The_property_catches_a_cell_reopened_with_New_instead_of_Init()
    {
        var broken = Prop.ForAll(Ops, ops => AgreesWithModel(ops, memory => StableCell<byte[]>.New(memory, Storable.Bytes, Default)));
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), broken));
    }

    /// <summary>
    /// Applies <paramref name="ops"/> to a cell and to a single .NET value; true when they agree after every
    /// step, and the memory is exactly as large as the largest value needed (it never shrinks).
    /// </summary>
    internal static bool AgreesWithModel(Op[] ops, Func<IMemory, StableCell<byte[]>> reopen)
    {
        var memory = new SparseMemory();
        var cell = StableCell<byte[]>.Init(memory, Storable.Bytes, Default);
        var model = Default;
        var largest = Default.Length;
        foreach (var op in ops)
        {
            switch (op)
            {
                case Op.Set set:
                    var previous = cell.Set(set.Value);
                    if (!previous.AsSpan().SequenceEqual(model))
                    {
                        return false;
                    }

                    model = set.Value;
                    largest = Math.Max(largest, model.Length);
                    break;
                case Op.Reopen:
                    cell = reopen(memory);
                    break;
            }

            if (!cell.Value.AsSpan().SequenceEqual(model))
            {
                return false;
            }
        }

        var pagesNeeded = ((ulong)largest + 8 + 65535) / 65536;
        return StableCell<byte[]>.Init(memory, Storable.Bytes, []).Value.AsSpan().SequenceEqual(model)
            && memory.Size == pagesNeeded;
    }
}
