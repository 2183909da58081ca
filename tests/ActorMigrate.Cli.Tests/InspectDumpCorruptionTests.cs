using System.Diagnostics;
using ActorMigrate.StableMemory;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class InspectDumpCorruptionTests
{
    /// <summary>The dumps of a canister-like image, each with the types that decode it.</summary>
    private static readonly string[][] Dumps =
    [
        ["--dump", "0", "--value", "bytes"],
        ["--dump", "1", "--key", "u64", "--value", "bytes"],
        ["--dump", "2", "--value", "u64"],
        ["--dump", "3", "--value", "bytes"],
    ];

    /// <summary>A Cell (memory 0), a BTreeMap of several nodes (1), a Vec (2) and a Log (3 index, 4 data), buckets of 1 page.</summary>
    private static (byte[] Image, IReadOnlyList<ushort>[] BucketsOf) CanisterImage()
    {
        var memory = new SparseMemory();
        var manager = MemoryManager.Init(memory, bucketSizeInPages: 1);
        StableCell<byte[]>.New(manager.Get(0), Storable.Bytes, [1, 2, 3]);
        var map = StableBTreeMap<ulong, byte[]>.New(manager.Get(1), Storable.U64, Storable.Bytes);
        var vec = StableVec<ulong>.New(manager.Get(2), Storable.U64);
        var log = StableLog<byte[]>.New(manager.Get(3), manager.Get(4), Storable.Bytes);
        for (ulong i = 0; i < 200; i++)
        {
            map.Insert(i * 7919 % 1000, new byte[i % 40], out _);
            vec.Push(i * i);
            log.Append(new byte[i % 30]);
        }

        return (memory.ToArray(), [.. Enumerable.Range(0, 5).Select(manager.BucketsOf)]);
    }

    [Fact]
    public async Task The_sound_image_dumps_every_structure_with_exit_code_0()
    {
        using var folder = new TempFolder();
        var path = folder.File("canister.img");
        File.WriteAllBytes(path, CanisterImage().Image);

        var counts = new List<int>();
        foreach (var dump in Dumps)
        {
            var run = (await CliRun.Of(["inspect", path, .. dump])).ExpectExitCode(0);
            counts.Add(run.OutLines.Length);
        }

        Assert.Equal([1, 200, 200, 200], counts);
    }

    [Fact]
    public async Task Dumping_structures_whose_bytes_are_corrupted_gives_entries_or_one_error_per_problem_never_a_stack_trace()
    {
        var (original, bucketsOf) = CanisterImage();
        var random = new Random(88);
        using var folder = new TempFolder();
        var path = folder.File("corrupted.img");
        var exitCodes = new Dictionary<int, int>();
        for (var variant = 0; variant < 200; variant++)
        {
            // Corrupt the dumped structure itself (for the Log, its index or its data memory): half the time the
            // first bytes of one of its buckets (the header, a node's header), otherwise anywhere in it.
            var dump = Dumps[variant % Dumps.Length];
            var memoryId = int.Parse(dump[1]) + (dump[1] == "3" ? random.Next(0, 2) : 0);
            var buckets = bucketsOf[memoryId];
            var page = 1 + buckets[variant % 3 == 0 ? 0 : random.Next(0, buckets.Count)];
            var offsetInPage = variant % 2 == 0 ? random.Next(0, 64) : random.Next(0, 65536 - 8);
            var image = (byte[])original.Clone();
            random.NextBytes(image.AsSpan(page * 65536 + offsetInPage, random.Next(1, 9)));
            File.WriteAllBytes(path, image);

            var clock = Stopwatch.StartNew();
            var run = await CliRun.Of(["inspect", path, .. dump]);
            clock.Stop();

            var what = $"variant {variant} ({string.Join(' ', dump)}, page {page} offset {offsetInPage}): exit {run.ExitCode}\n{run.AllOutput}";
            Assert.True(run.ExitCode is 0 or 1 or 2, what);
            Assert.False(run.ShowsAStackTrace, what);
            Assert.All(run.ErrorLines, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
            Assert.True(run.ExitCode == 0 || run.ErrorLines.Length == 1, what);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{what} took {clock.Elapsed}");
            exitCodes[run.ExitCode] = exitCodes.GetValueOrDefault(run.ExitCode) + 1;
        }

        // Half the corruptions hit the first bytes of a page (headers, node headers): many must be noticed.
        Assert.True(exitCodes.GetValueOrDefault(2) >= 5, $"exit codes: {string.Join(", ", exitCodes)}");
    }
}
