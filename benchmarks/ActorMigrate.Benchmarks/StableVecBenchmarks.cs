using ActorMigrate.StableMemory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// canbench's vec_insert_u64 / vec_get_u64 workloads (10,000 u64 pushed into an empty StableVec, then read
/// back by index) on a SparseMemory, against a List&lt;ulong&gt; doing the same (the baseline).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StableVecBenchmarks
{
    private const int Items = 10_000;
    private readonly ulong[] values = new ulong[Items];
    private StableVec<ulong> filled = null!;
    private List<ulong> filledList = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Items; i++)
        {
            values[i] = (ulong)random.NextInt64();
        }

        filled = StableVec<ulong>.New(new SparseMemory(), Storable.U64);
        filledList = [.. values];
        foreach (var value in values)
        {
            filled.Push(value);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("insert")]
    public int ListInsert()
    {
        var list = new List<ulong>();
        foreach (var value in values)
        {
            list.Add(value);
        }

        return list.Count;
    }

    [Benchmark, BenchmarkCategory("insert")]
    public ulong StableVecInsert()
    {
        var vec = StableVec<ulong>.New(new SparseMemory(), Storable.U64);
        foreach (var value in values)
        {
            vec.Push(value);
        }

        return vec.Count;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("get")]
    public ulong ListGet()
    {
        ulong sum = 0;
        for (var i = 0; i < Items; i++)
        {
            sum += filledList[i];
        }

        return sum;
    }

    [Benchmark, BenchmarkCategory("get")]
    public ulong StableVecGet()
    {
        ulong sum = 0;
        for (ulong i = 0; i < Items; i++)
        {
            sum += filled.Get(i);
        }

        return sum;
    }
}
