using System.IO.Compression;
using ActorMigrate.StableMemory.Conformance;

namespace ActorMigrate.StableMemory.Tests.Conformance;

/// <summary>The runner on cases built here (no ../shared): what passes, and how each failure is reported.</summary>
public sealed class ConformanceRunnerTests : IDisposable
{
    private static readonly string[] ManagerOps =
    [
        "manager bucket_size 1",
        "mem 3 grow 2",
        "mem 0 grow 1",
        "mem 3 write 65534 a1b2c3d4",
    ];

    private static readonly string[] ManagerExpect = ["mem 0 size 1", "mem 3 size 2", "mem 254 size 0"];

    private readonly string directory = Directory.CreateTempSubdirectory("actormigrate-conformance-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private ConformanceCase WriteCase(string name, string[] ops, byte[] image, string[] expect, string folder = "cases")
    {
        var dir = Directory.CreateDirectory(Path.Combine(directory, folder)).FullName;
        File.WriteAllLines(Path.Combine(dir, name + ".ops"), ops);
        File.WriteAllLines(Path.Combine(dir, name + ".expect"), expect);
        using (var gz = new GZipStream(File.Create(Path.Combine(dir, name + ".image.gz")), CompressionLevel.Fastest))
        {
            gz.Write(image);
        }

        return new ConformanceCase(name, Path.Combine(dir, name + ".ops"));
    }

    private static byte[] ImageOf(string[] ops, ConformanceRunner? runner = null) => (runner ?? new ConformanceRunner([], [])).Replay(ops).ToArray();

    [Fact]
    public void A_case_whose_replay_gives_its_image_and_whose_image_reads_back_its_expect_passes()
    {
        var result = new ConformanceRunner().Run(WriteCase("ok", ManagerOps, ImageOf(ManagerOps), ManagerExpect));
        Assert.True(result.Passed, result.Reason);
    }

    [Fact]
    public void A_replay_that_differs_from_the_image_fails_with_the_first_differing_offset()
    {
        var image = ImageOf(ManagerOps);
        image[65_536 + 65_535] ^= 0xFF; // the 'b2' of the write, at the end of bucket 0
        var result = new ConformanceRunner().Run(WriteCase("flipped", ManagerOps, image, ManagerExpect));
        Assert.False(result.Passed);
        Assert.Contains("offset 131071", result.Reason);
    }

    [Fact]
    public void An_image_of_another_size_fails_with_the_size_difference()
    {
        var image = ImageOf(ManagerOps)[..(3 * 65_536)];
        var result = new ConformanceRunner().Run(WriteCase("short", ManagerOps, image, ManagerExpect));
        Assert.False(result.Passed);
        Assert.Contains("size differs", result.Reason);
    }

    [Fact]
    public void An_expected_size_the_image_does_not_hold_fails_with_the_expect_line()
    {
        var result = new ConformanceRunner().Run(WriteCase("size", ManagerOps, ImageOf(ManagerOps), ["mem 0 size 1", "mem 3 size 3"]));
        Assert.False(result.Passed);
        Assert.Contains("expect line 2", result.Reason);
        Assert.Contains("mem 3 size 2", result.Reason);
    }

    [Theory]
    [InlineData("mem 3 write 12 zz", "not hex")]
    [InlineData("mem 3 write twelve ab", "not a decimal")]
    [InlineData("mem 3 grow", "mem ID grow PAGES")]
    [InlineData("mem 300 grow 1", "0–254")]
    [InlineData("mem 3 write 131071 abcd", "out of bounds")]
    [InlineData("manager init bucket_size 0", "bucket size 0")]
    public void A_malformed_ops_line_fails_the_case_with_its_line_number(string badLine, string reason)
    {
        string[] ops = [.. ManagerOps[..3], badLine, ManagerOps[3]];
        var testCase = WriteCase("bad", ops, ImageOf(ManagerOps), ManagerExpect);
        var result = new ConformanceRunner().Run(testCase);
        Assert.False(result.Passed);
        Assert.Contains("line 4", result.Reason);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public void A_malformed_expect_section_fails_the_case_with_its_line_number()
    {
        var result = new ConformanceRunner().Run(WriteCase("badexpect", ManagerOps, ImageOf(ManagerOps), ["mem 0 size 1", "vec 1 u64 len 3", "5"]));
        Assert.False(result.Passed);
        Assert.Contains("line 2", result.Reason);
    }

    [Fact]
    public void A_line_naming_a_structure_without_a_driver_fails_as_not_ported_yet()
    {
        string[] ops = [.. ManagerOps, "frobnicator 1 u64 u64 init"];
        var result = new ConformanceRunner().Run(WriteCase("unported", ops, ImageOf(ManagerOps), ManagerExpect));
        Assert.False(result.Passed);
        Assert.Equal("structure 'frobnicator' is not ported yet", result.Reason);
    }

    [Fact]
    public void Lines_go_to_the_driver_with_their_keyword_both_in_replay_and_in_read_back()
    {
        var runner = new ConformanceRunner([new CounterDriver()], []);
        string[] ops = ["raw", "counter raw incr", "counter raw incr", "counter raw incr"];
        var image = ImageOf(ops, runner);

        Assert.True(runner.Run(WriteCase("counter", ops, image, ["counter raw value 3", "mem raw size 1"])).Passed);
        var wrong = runner.Run(WriteCase("counter2", ops, image, ["counter raw value 4"]));
        Assert.Contains("expected 'counter raw value 4', got 'counter raw value 3'", wrong.Reason);
    }

    [Fact]
    public void A_directory_run_covers_subfolders_and_goldens_and_one_bad_case_does_not_stop_the_others()
    {
        WriteCase("good", ManagerOps, ImageOf(ManagerOps), ManagerExpect, folder: "a");
        WriteCase("bad", ["manager bucket_size x"], ImageOf(ManagerOps), ManagerExpect, folder: "a/b");
        var upstream = Directory.CreateDirectory(Path.Combine(directory, "upstream")).FullName;
        File.WriteAllBytes(Path.Combine(upstream, "stability_read.golden.gz"), Gzip(StabilityGolden.Read()));
        File.WriteAllBytes(Path.Combine(upstream, "something_v9.dump"), [1, 2, 3]);

        var results = new ConformanceRunner().RunDirectory(directory);

        Assert.Equal(
            ["a/b/bad: fail", "a/good: pass", "upstream/something_v9.dump: fail", "upstream/stability_read.golden.gz: pass"],
            results.Select(r => $"{r.Name}: {(r.Passed ? "pass" : "fail")}").Order(StringComparer.Ordinal));
        Assert.Contains("not ported yet", results.Single(r => r.Name.EndsWith(".dump", StringComparison.Ordinal)).Reason);
        Assert.Contains("line 1", results.Single(r => r.Name == "a/b/bad").Reason);
    }

    [Fact]
    public void A_golden_that_differs_fails_with_the_first_differing_offset()
    {
        var golden = StabilityGolden.Write();
        golden[300_000] ^= 1;
        var path = Path.Combine(directory, "stability_write.golden.gz");
        File.WriteAllBytes(path, Gzip(golden));

        var result = new ConformanceRunner().RunGolden(path);
        Assert.False(result.Passed);
        Assert.Contains("offset 300000", result.Reason);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>A tiny structure for the test: a u64 counter at offset 0 of a memory.</summary>
    private sealed class CounterDriver : IConformanceDriver
    {
        public string Keyword => "counter";

        public void Apply(ConformanceContext context, IReadOnlyList<string> line)
        {
            var memory = context.Memory(line[1]);
            var writer = new StableWriter(memory);
            writer.WriteU64(memory.Size == 0 ? 1 : memory.ReadU64(0) + 1);
        }

        public IEnumerable<string> Read(ConformanceContext context, IReadOnlyList<string> header)
        {
            yield return $"counter {header[1]} value {context.Memory(header[1]).ReadU64(0)}";
        }
    }
}
