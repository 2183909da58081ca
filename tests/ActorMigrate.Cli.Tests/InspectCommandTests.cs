using System.Diagnostics;
using ActorMigrate.StableMemory;
using Newtonsoft.Json.Linq;

namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class InspectCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>The image <c>actormigrate demo --out</c> writes (with few accounts, to keep it small).</summary>
    private async Task<byte[]> DemoImage(string name = "demo.img")
    {
        var path = folder.File(name);
        (await CliRun.Of("demo", "--accounts", "300", "--out", path)).ExpectExitCode(0);
        return File.ReadAllBytes(path);
    }

    private string Save(string name, byte[] bytes)
    {
        var path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_demo_image_is_reported_as_a_MemoryManager_with_its_three_memories()
    {
        await DemoImage();

        var run = (await CliRun.Of("inspect", folder.File("demo.img"))).ExpectExitCode(0);

        Assert.Contains("MemoryManager v1: buckets of 4 pages", run.Out, StringComparison.Ordinal);
        Assert.Contains(run.OutLines, line => line.StartsWith("memory 0: 1 pages, buckets 0:", StringComparison.Ordinal));
        Assert.Contains(run.OutLines, line => line.StartsWith("memory 1: ", StringComparison.Ordinal) && line.Contains("length-prefixed blob", StringComparison.Ordinal));
        Assert.Contains(run.OutLines, line => line.StartsWith("memory 2: ", StringComparison.Ordinal));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task The_json_report_of_a_demo_image_parses_and_names_the_manager_and_each_memory()
    {
        var image = await DemoImage();

        var run = (await CliRun.Of("inspect", "--json", folder.File("demo.img"))).ExpectExitCode(0);
        var report = JObject.Parse(run.Out);

        Assert.Equal(image.Length, (long)report["sizeInBytes"]!);
        Assert.Equal(image.Length / 65536, (long)report["sizeInPages"]!);
        Assert.Equal(1, (int)report["memoryManager"]!["layoutVersion"]!);
        Assert.Equal(4, (int)report["memoryManager"]!["bucketSizeInPages"]!);
        var memories = (JArray)report["memories"]!;
        Assert.Equal(["0", "1", "2"], memories.Select(m => (string)m["id"]!));
        Assert.Equal("length-prefixed-blob", (string)memories[1]["kind"]!);
        Assert.All(memories, m => Assert.True((long)m["sizeInPages"]! > 0));
        Assert.Empty((JArray)report["problems"]!);
    }

    [Fact]
    public async Task Dump_prints_every_element_of_a_StableVec_in_a_virtual_memory_in_index_order()
    {
        var memory = new SparseMemory();
        var manager = MemoryManager.Init(memory, bucketSizeInPages: 1);
        var vec = StableVec<ulong>.New(manager.Get(3), Storable.U64);
        ulong[] elements = [42, 7, ulong.MaxValue, 0];
        foreach (var element in elements)
        {
            vec.Push(element);
        }

        var path = Save("vec.img", memory.ToArray());

        var decoded = (await CliRun.Of("inspect", path, "--dump", "3", "--value", "u64")).ExpectExitCode(0);
        var hex = (await CliRun.Of("inspect", path, "--dump", "3")).ExpectExitCode(0);

        Assert.Equal(elements.Select(e => e.ToString()), decoded.OutLines);
        Assert.Equal(["000000000000002a", "0000000000000007", "ffffffffffffffff", "0000000000000000"], hex.OutLines);
    }

    [Fact]
    public async Task A_truncated_image_exits_2_with_one_line_saying_it_is_truncated()
    {
        var image = await DemoImage();
        var path = Save("truncated.img", image[..100_000]);

        (await CliRun.Of("inspect", path)).ExpectExitCode(2).ExpectOneLineError("truncated");
    }

    [Fact]
    public async Task A_bit_flip_in_the_layout_version_exits_2_naming_the_version_and_its_offset()
    {
        var image = await DemoImage();
        image[3] ^= 0x04;
        var path = Save("flipped.img", image);

        (await CliRun.Of("inspect", path)).ExpectExitCode(2).ExpectOneLineError("layout version 5 at offset 3");
    }

    [Fact]
    public async Task A_random_file_that_is_not_whole_pages_exits_2_without_a_stack_trace()
    {
        var path = Save("random.bin", RandomBytes(seed: 8, length: 100_001));

        (await CliRun.Of("inspect", path)).ExpectExitCode(2).ExpectOneLineError("not a whole number of 64 KiB pages");
    }

    [Fact]
    public async Task Random_whole_pages_are_reported_as_unknown_bytes_of_a_raw_memory()
    {
        var path = Save("random-pages.bin", RandomBytes(seed: 9, length: 2 * 65536));

        var run = (await CliRun.Of("inspect", path)).ExpectExitCode(0);

        Assert.Contains("no MemoryManager", run.Out, StringComparison.Ordinal);
        Assert.Contains("memory raw: 2 pages: unknown bytes", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bytes_behind_a_valid_MemoryManager_magic_and_version_exit_2_without_a_stack_trace()
    {
        var bytes = RandomBytes(seed: 10, length: 4 * 65536);
        "MGR\u0001"u8.CopyTo(bytes);
        var path = Save("random-manager.bin", bytes);

        var run = (await CliRun.Of("inspect", path)).ExpectExitCode(2);

        Assert.False(run.ShowsAStackTrace, run.AllOutput);
        Assert.NotEmpty(run.ErrorLines);
        Assert.All(run.ErrorLines, line => Assert.StartsWith($"error: {path}: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_file_exits_2_with_one_line_naming_the_path()
    {
        var missing = folder.File("no-such.img");

        (await CliRun.Of("inspect", missing)).ExpectExitCode(2).ExpectOneLineError($"cannot read {missing}");
    }

    [Fact]
    public async Task Two_hundred_corrupted_demo_images_each_give_a_report_or_exit_2_never_a_stack_trace()
    {
        var original = await DemoImage();
        var random = new Random(2026);
        var path = folder.File("corrupted.img");
        var exitCodes = new Dictionary<int, int>();
        for (var variant = 0; variant < 240; variant++)
        {
            var corrupted = Corrupt(original, variant, random);
            File.WriteAllBytes(path, corrupted);

            var clock = Stopwatch.StartNew();
            var run = await CliRun.Of("inspect", path);
            clock.Stop();

            Assert.True(run.ExitCode is 0 or 2, $"variant {variant}: exit code {run.ExitCode}\n{run.AllOutput}");
            Assert.False(run.ShowsAStackTrace, $"variant {variant}: {run.AllOutput}");
            Assert.True(run.ExitCode == 0 || run.ErrorLines.Length > 0, $"variant {variant}: exit 2 without a message");
            Assert.All(run.ErrorLines, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"variant {variant} took {clock.Elapsed}");
            exitCodes[run.ExitCode] = exitCodes.GetValueOrDefault(run.ExitCode) + 1;
        }

        // The corruptions are aimed at the header and bucket table, so many must be caught, not all reported as sound.
        Assert.True(exitCodes.GetValueOrDefault(2) >= 100, $"exit codes: {string.Join(", ", exitCodes)}");
    }

    /// <summary>
    /// One corrupted copy: a truncation, a bit flip in the MemoryManager header, a bit flip or random byte in the
    /// bucket table, a random byte anywhere in page 0, or random bytes over a virtual memory's start, by turns.
    /// </summary>
    private static byte[] Corrupt(byte[] original, int variant, Random random)
    {
        if (variant % 5 == 0)
        {
            return original[..random.Next(0, original.Length)];
        }

        var image = (byte[])original.Clone();
        switch (variant % 5)
        {
            case 1:
                image[random.Next(0, 40 + 3 * 8)] ^= (byte)(1 << random.Next(8));
                break;
            case 2:
                image[2080 + random.Next(0, 8)] = (byte)random.Next(256);
                break;
            case 3:
                image[random.Next(0, 65536)] = (byte)random.Next(256);
                break;
            default:
                var start = 65536 * (1 + 4 * random.Next(0, 3));
                random.NextBytes(image.AsSpan(start, random.Next(1, 64)));
                break;
        }

        return image;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
