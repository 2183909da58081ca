using ActorMigrate.StableMemory;
using ActorMigrate.StableMemory.BTreeMap;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// StableBTreeMap in a MemoryManager virtual memory against SortedDictionary doing the same operations
/// in the same run: random u64 → u64 inserts, gets and removes, and Blob&lt;32&gt; → Blob&lt;128&gt; inserts
/// and gets. Each benchmark does all <see cref="Count"/> operations once per invocation; figures are per
/// operation. Run: <c>dotnet run -c Release --project benchmarks/ActorMigrate.Benchmarks -- --filter '*BTreeMap*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BTreeMapBenchmarks
{
    private const int U64Count = 1_000_000;
    private const int BlobCount = 250_000;

    private ulong[] keys = [];
    private Blob[] blobKeys = [];
    private Blob[] blobValues = [];
    private StableBTreeMap<ulong, ulong> u64Map = null!;
    private SortedDictionary<ulong, ulong> u64Dictionary = null!;
    private StableBTreeMap<Blob, Blob> blobMap = null!;
    private SortedDictionary<Blob, Blob> blobDictionary = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        keys = new ulong[U64Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (ulong)random.NextInt64();
        }

        blobKeys = new Blob[BlobCount];
        blobValues = new Blob[BlobCount];
        var key = new byte[32];
        for (var i = 0; i < BlobCount; i++)
        {
            random.NextBytes(key);
            blobKeys[i] = new Blob(key);
            var value = new byte[random.Next(0, 129)];
            random.NextBytes(value);
            blobValues[i] = new Blob(value);
        }
    }

    private static IMemory VirtualMemory() => MemoryManager.Init(new SparseMemory()).Get(0);

    // ---- u64 insert ----

    [IterationSetup(Targets = [nameof(U64Insert)])]
    public void EmptyU64Map() => u64Map = StableBTreeMap<ulong, ulong>.Init(VirtualMemory(), Storable.U64, Storable.U64);

    [IterationSetup(Targets = [nameof(U64InsertSortedDictionary)])]
    public void EmptyU64Dictionary() => u64Dictionary = new SortedDictionary<ulong, ulong>();

    [Benchmark(OperationsPerInvoke = U64Count)]
    [BenchmarkCategory("u64 insert")]
    public void U64Insert()
    {
        foreach (var k in keys)
        {
            u64Map.Insert(k, k, out _);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = U64Count)]
    [BenchmarkCategory("u64 insert")]
    public void U64InsertSortedDictionary()
    {
        foreach (var k in keys)
        {
            u64Dictionary[k] = k;
        }
    }

    // ---- u64 get and remove (maps filled outside the measurement) ----

    [IterationSetup(Targets = [nameof(U64Get), nameof(U64Remove)])]
    public void FullU64Map()
    {
        EmptyU64Map();
        U64Insert();
    }

    [IterationSetup(Targets = [nameof(U64GetSortedDictionary), nameof(U64RemoveSortedDictionary)])]
    public void FullU64Dictionary()
    {
        EmptyU64Dictionary();
        U64InsertSortedDictionary();
    }

    [Benchmark(OperationsPerInvoke = U64Count)]
    [BenchmarkCategory("u64 get")]
    public ulong U64Get()
    {
        ulong sum = 0;
        foreach (var k in keys)
        {
            u64Map.TryGetValue(k, out var v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = U64Count)]
    [BenchmarkCategory("u64 get")]
    public ulong U64GetSortedDictionary()
    {
        ulong sum = 0;
        foreach (var k in keys)
        {
            u64Dictionary.TryGetValue(k, out var v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = U64Count)]
    [BenchmarkCategory("u64 remove")]
    public void U64Remove()
    {
        foreach (var k in keys)
        {
            u64Map.Remove(k, out _);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = U64Count)]
    [BenchmarkCategory("u64 remove")]
    public void U64RemoveSortedDictionary()
    {
        foreach (var k in keys)
        {
            u64Dictionary.Remove(k);
        }
    }

    // ---- Blob<32> → Blob<128> ----

    [IterationSetup(Targets = [nameof(BlobInsert)])]
    public void EmptyBlobMap() => blobMap = StableBTreeMap<Blob, Blob>.Init(VirtualMemory(), Storable.Blob(32), Storable.Blob(128));

    [IterationSetup(Targets = [nameof(BlobInsertSortedDictionary)])]
    public void EmptyBlobDictionary() => blobDictionary = new SortedDictionary<Blob, Blob>();

    [Benchmark(OperationsPerInvoke = BlobCount)]
    [BenchmarkCategory("blob insert")]
    public void BlobInsert()
    {
        for (var i = 0; i < blobKeys.Length; i++)
        {
            blobMap.Insert(blobKeys[i], blobValues[i], out _);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BlobCount)]
    [BenchmarkCategory("blob insert")]
    public void BlobInsertSortedDictionary()
    {
        for (var i = 0; i < blobKeys.Length; i++)
        {
            blobDictionary[blobKeys[i]] = blobValues[i];
        }
    }

    [IterationSetup(Targets = [nameof(BlobGet)])]
    public void FullBlobMap()
    {
        EmptyBlobMap();
        BlobInsert();
    }

    [IterationSetup(Targets = [nameof(BlobGetSortedDictionary)])]
    public void FullBlobDictionary()
    {
        EmptyBlobDictionary();
        BlobInsertSortedDictionary();
    }

    [Benchmark(OperationsPerInvoke = BlobCount)]
    [BenchmarkCategory("blob get")]
    public int BlobGet()
    {
        var total = 0;
        foreach (var k in blobKeys)
        {
            blobMap.TryGetValue(k, out var v);
            total += v.Length;
        }

        return total;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BlobCount)]
    [BenchmarkCategory("blob get")]
    public int BlobGetSortedDictionary()
    {
        var total = 0;
        foreach (var k in blobKeys)
        {
            blobDictionary.TryGetValue(k, out var v);
            total += v.Length;
        }

        return total;
    }
}
