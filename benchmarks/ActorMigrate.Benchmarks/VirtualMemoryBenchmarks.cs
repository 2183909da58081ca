using ActorMigrate.StableMemory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorMigrate.Benchmarks;

/// <summary>
/// Reads and writes of 1 KiB and 64 KiB through a MemoryManager's virtual memory, each straddling a
/// bucket boundary (one-page buckets, interleaved with another memory's so they are not contiguous),
/// against the same copy on a plain byte array (the baseline) and on the SparseMemory underneath.
/// Goal: no allocation per read or write.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class VirtualMemoryBenchmarks
{
    private const int Pages = 8;

    private byte[] array = [];
    private SparseMemory sparse = null!;
    private IMemory virtualMemory = null!;
    private byte[] buffer = [];
    private ulong offset;

    [Params(1_024, 65_536)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var underlying = new SparseMemory();
        var manager = MemoryManager.Init(underlying, bucketSizeInPages: 1);
        virtualMemory = manager.Get(1);
        for (var i = 0; i < Pages; i++)
        {
            manager.Get(0).Grow(1);
            virtualMemory.Grow(1);
        }

        sparse = new SparseMemory(initialPages: Pages);
        array = new byte[Pages * (int)WasmPage.SizeInBytes];
        var fill = new byte[array.Length];
        Random.Shared.NextBytes(fill);
        fill.CopyTo(array, 0);
        sparse.Write(0, fill);
        virtualMemory.Write(0, fill);

        buffer = new byte[Bytes];
        offset = 2 * WasmPage.SizeInBytes - (ulong)Bytes / 2; // across the boundary of buckets 1 and 2
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Read")]
    public void ArrayRead() => array.AsSpan((int)offset, Bytes).CopyTo(buffer);

    [Benchmark, BenchmarkCategory("Read")]
    public void SparseMemoryRead() => sparse.Read(offset, buffer);

    [Benchmark, BenchmarkCategory("Read")]
    public void VirtualMemoryRead() => virtualMemory.Read(offset, buffer);

    [Benchmark(Baseline = true), BenchmarkCategory("Write")]
    public void ArrayWrite() => buffer.CopyTo(array.AsSpan((int)offset, Bytes));

    [Benchmark, BenchmarkCategory("Write")]
    public void SparseMemoryWrite() => sparse.Write(offset, buffer);

    [Benchmark, BenchmarkCategory("Write")]
    public void VirtualMemoryWrite() => virtualMemory.Write(offset, buffer);
}
