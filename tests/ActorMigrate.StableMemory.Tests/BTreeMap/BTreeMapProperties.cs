using System.Buffers.Binary;
using ActorMigrate.StableMemory.BTreeMap;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>Random operation sequences on the stable map agree with SortedDictionary, for bounded and unbounded types.</summary>
public class BTreeMapProperties
{
    private static Gen<MapOp> Op(int keyDomain) =>
        from kind in Gen.Frequency(
            (10, Gen.Constant(MapOpKind.Insert)),
            (6, Gen.Constant(MapOpKind.Remove)),
            (3, Gen.Constant(MapOpKind.Get)),
            (1, Gen.Constant(MapOpKind.PopFirst)),
            (1, Gen.Constant(MapOpKind.PopLast)),
            (1, Gen.Constant(MapOpKind.Range)),
            (1, Gen.Constant(MapOpKind.Iterate)),
            (1, Gen.Constant(MapOpKind.Reopen)))
        from keySeed in Gen.Choose(0, keyDomain - 1)
        from otherSeed in Gen.Choose(0, keyDomain - 1)
        from valueSeed in Gen.Choose(0, int.MaxValue)
        select new MapOp(kind, (ulong)keySeed, (ulong)otherSeed, valueSeed);

    internal static Arbitrary<MapOp[]> Ops(int keyDomain, int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Op(keyDomain), n)).ToArbitrary();

    internal static MapModelCheck<ulong, ulong> U64Map(IStorable<ulong>? keyCodec = null) => new(
        memory => StableBTreeMap<ulong, ulong>.Init(memory, keyCodec ?? Storable.U64, Storable.U64),
        Comparer<ulong>.Default,
        seed => seed,
        valueSeed => (ulong)valueSeed * 2_654_435_761UL,
        EqualityComparer<ulong>.Default);

    internal static MapModelCheck<Blob, Blob> BlobMap() => new(
        memory => StableBTreeMap<Blob, Blob>.Init(memory, Storable.Blob(32), Storable.Blob(128)),
        Comparer<Blob>.Default,
        seed => new Blob(KeyBytes(seed, 32)),
        valueSeed => new Blob(ValueBytes(valueSeed, valueSeed % 129)),
        EqualityComparer<Blob>.Default);

    internal static MapModelCheck<byte[], byte[]> BytesMap() => new(
        memory => StableBTreeMap<byte[], byte[]>.Init(memory, Storable.Bytes, Storable.Bytes),
        Storable.Bytes,
        seed => KeyBytes(seed, 80),
        valueSeed => ValueBytes(valueSeed, valueSeed % 5 == 0 ? 1_000 + (valueSeed % 2_500) : valueSeed % 60),
        EqualityComparer<byte[]>.Create((a, b) => a.AsSpan().SequenceEqual(b), b => b.Length));

    // Keys of varied lengths (seed 0 is the empty key) whose byte order differs from the seed order.
    private static byte[] KeyBytes(ulong seed, int maxLength)
    {
        if (seed == 0)
        {
            return [];
        }

        var length = Math.Min(maxLength, 2 + (int)(seed * 31 % (ulong)(maxLength - 1)));
        var bytes = new byte[length];
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(number, seed * 2_654_435_761UL);
        for (var i = 0; i < length; i++)
        {
            bytes[i] = i < 8 ? number[i] : (byte)(seed + (ulong)i);
        }

        return bytes;
    }

    private static byte[] ValueBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Property(MaxTest = 60)]
    public Property A_u64_map_agrees_with_SortedDictionary_under_any_operation_sequence() =>
        Prop.ForAll(Ops(400, 500), ops => Assert.Null(U64Map().Run(ops)));

    [Property(MaxTest = 40)]
    public Property A_blob_map_agrees_with_SortedDictionary_under_any_operation_sequence() =>
        Prop.ForAll(Ops(300, 400), ops => Assert.Null(BlobMap().Run(ops)));

    [Property(MaxTest = 25)]
    public Property An_unbounded_map_with_overflowing_values_agrees_with_SortedDictionary() =>
        Prop.ForAll(Ops(200, 300), ops => Assert.Null(BytesMap().Run(ops)));

    [Property(MaxTest = 25)]
    public Property Removing_every_entry_leaves_no_allocated_chunk() =>
        Prop.ForAll(Ops(200, 300), Gen.Choose(0, 2).ToArbitrary(), (ops, order) =>
        {
            var memory = new SparseMemory();
            Assert.Null(BytesMap().Run(ops, memory, out var map));
            for (var i = 0; map.LongCount > 0; i++)
            {
                switch ((order + i) % 3)
                {
                    case 0:
                        var keys = map.Keys.ToList();
                        Assert.True(map.Remove(keys[keys.Count / 2]));
                        break;
                    case 1:
                        Assert.NotNull(map.PopFirst());
                        break;
                    default:
                        Assert.NotNull(map.PopLast());
                        break;
                }
            }

            Assert.Equal(0UL, map.LongCount);
            Assert.Equal(0UL, map.AllocatedChunks);
            Assert.Null(map.First());
        });

    [Fact]
    public void The_property_catches_a_map_whose_key_order_breaks_ties_wrongly()
    {
        var broken = Prop.ForAll(Ops(400, 500), ops => U64Map(new TiesBrokenU64Codec()).Run(ops) is null);
        var failure = Assert.ThrowsAny<Exception>(() => broken.QuickCheckThrowOnFailure());
        Assert.Contains("Falsifiable", failure.Message);
    }

    [Fact]
    public void A_map_of_100000_entries_agrees_with_SortedDictionary_and_empties_to_no_chunks()
    {
        var random = new Random(20260526);
        var ops = new List<MapOp>();
        var inserted = new List<ulong>();
        var live = new HashSet<ulong>();
        for (var i = 0; i < 125_000; i++)
        {
            var kind = inserted.Count == 0 ? MapOpKind.Insert : random.Next(10) switch
            {
                < 8 => MapOpKind.Insert,
                8 => MapOpKind.Remove,
                _ => MapOpKind.Get,
            };
            var key = kind == MapOpKind.Insert ? (ulong)random.NextInt64(0, 1L << 40) : inserted[random.Next(inserted.Count)];
            if (kind == MapOpKind.Insert)
            {
                inserted.Add(key);
                live.Add(key);
            }
            else if (kind == MapOpKind.Remove)
            {
                live.Remove(key);
            }

            ops.Add(new MapOp(kind, key, 0, random.Next()));
            if (i is 60_000)
            {
                ops.Add(new MapOp(MapOpKind.Reopen, 0, 0, 0));
            }
        }

        ops.Add(new MapOp(MapOpKind.Range, 1L << 38, 1L << 39, 0));
        while (live.Count < 100_000)
        {
            var key = (ulong)random.NextInt64(0, 1L << 40);
            live.Add(key);
            ops.Add(new MapOp(MapOpKind.Insert, key, 0, random.Next()));
        }

        var check = new MapModelCheck<ulong, ulong>(
            memory => StableBTreeMap<ulong, ulong>.Init(memory, Storable.U64, Storable.U64),
            Comparer<ulong>.Default,
            seed => seed,
            valueSeed => (ulong)valueSeed,
            EqualityComparer<ulong>.Default);
        var memory = new SparseMemory();
        Assert.Null(check.Run(ops, memory, out var map));
        Assert.True(map.LongCount >= 100_000, $"the run reached only {map.LongCount} entries");

        foreach (var key in map.Keys.ToList())
        {
            Assert.True(map.Remove(key));
        }

        Assert.Equal(0UL, map.AllocatedChunks);
    }
}
