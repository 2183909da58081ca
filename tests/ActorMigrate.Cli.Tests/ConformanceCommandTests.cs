using System.IO.Compression;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConformanceCommandTests
{
    /// <summary>A manager_raw-style case: a MemoryManager with buckets of 1 page, grows and writes on two virtual memories.</summary>
    private static readonly string[] TinyCaseOps =
    [
        "manager bucket_size 1",
        "mem 3 grow 2",
        "mem 3 write 65530 0102030405060708090a0b0c",
        "mem 254 grow 1",
        "mem 254 write 0 ff",
    ];

    private static readonly string[] TinyCaseExpect = ["mem 0 size 0", "mem 3 size 2", "mem 254 size 1"];

    /// <summary>Writes the case NAME into <paramref name="folder"/>, its image replayed by the library, then changed by <paramref name="tamper"/>.</summary>
    private static void WriteTinyCase(TempFolder folder, string name, Action<byte[]>? tamper = null)
    {
        var image = Replay(TinyCaseOps);
        tamper?.Invoke(image);
        File.WriteAllLines(folder.File(name + ".ops"), TinyCaseOps);
        File.WriteAllLines(folder.File(name + ".expect"), TinyCaseExpect);
        using var gzip = new GZipStream(File.Create(folder.File(name + ".image.gz")), CompressionLevel.Fastest);
        gzip.Write(image);
    }

    /// <summary>
    /// The bytes the library leaves after <paramref name="ops"/> (only the <c>manager</c> and <c>mem</c> lines a
    /// manager_raw case uses), applied through MemoryManager itself.
    /// </summary>
    private static byte[] Replay(IEnumerable<string> ops)
    {
        var memory = new SparseMemory();
        MemoryManager? manager = null;
        foreach (var words in ops.Select(line => line.Split(' ')))
        {
            switch (words)
            {
                case ["manager", "bucket_size", var pages]:
                    manager = MemoryManager.Init(memory, ushort.Parse(pages));
                    break;
                case ["mem", var id, "grow", var pages]:
                    Assert.NotEqual(-1, manager!.Get(int.Parse(id)).Grow(ulong.Parse(pages)));
                    break;
                case ["mem", var id, "write", var offset, var hex]:
                    manager!.Get(int.Parse(id)).Write(ulong.Parse(offset), Convert.FromHexString(hex));
                    break;
                default:
                    throw new ArgumentException($"not a manager_raw line: {string.Join(' ', words)}");
            }
        }

        return memory.ToArray();
    }

    [Fact]
    public async Task A_case_whose_image_the_port_reproduces_passes_with_exit_code_0()
    {
        using var folder = new TempFolder();
        WriteTinyCase(folder, "tiny");

        var run = (await CliRun.Of("conformance", folder.Path)).ExpectExitCode(0);

        Assert.Equal(["tiny: pass", "1 passed, 0 failed"], run.OutLines);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task A_case_whose_image_differs_by_one_byte_fails_naming_the_offset_with_exit_code_1()
    {
        using var folder = new TempFolder();
        WriteTinyCase(folder, "good");
        const int changedOffset = 65536 + 7; // page 1: the first bucket, held by memory 3
        WriteTinyCase(folder, "tampered", image => image[changedOffset] ^= 0x01);

        var run = (await CliRun.Of("conformance", folder.Path)).ExpectExitCode(1);

        Assert.Contains("good: pass", run.OutLines);
        var failure = Assert.Single(run.OutLines, line => line.StartsWith("tampered: ", StringComparison.Ordinal));
        Assert.StartsWith("tampered: fail (", failure, StringComparison.Ordinal);
        Assert.Contains($"offset {changedOffset}", failure, StringComparison.Ordinal);
        Assert.Equal("1 passed, 1 failed", run.OutLines[^1]);
    }

    [Fact]
    public async Task An_empty_folder_says_it_found_no_cases_and_exits_non_zero()
    {
        using var folder = new TempFolder();

        var run = await CliRun.Of("conformance", folder.Path);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"no conformance cases (*.ops) or upstream goldens found in {folder.Path}", run.Error, StringComparison.Ordinal);
        Assert.Equal("0 passed, 0 failed", run.OutLines[^1]);
        Assert.False(run.ShowsAStackTrace);
    }

    [Fact]
    public async Task A_missing_folder_is_one_error_line_naming_it_and_exit_code_1()
    {
        using var folder = new TempFolder();
        var missing = folder.File("not-there");

        var run = (await CliRun.Of("conformance", missing)).ExpectExitCode(1).ExpectOneLineError($"no such folder: {missing}");

        Assert.Equal("", run.Out);
    }

    [ConformanceFact]
    public async Task Every_case_and_golden_of_the_shared_conformance_folder_passes()
    {
        var run = (await CliRun.Of("conformance", ConformanceData.Directory!)).ExpectExitCode(0);

        Assert.Equal("11 passed, 0 failed", run.OutLines[^1]);
        Assert.All(run.OutLines[..^1], line => Assert.EndsWith(": pass", line, StringComparison.Ordinal));
    }
}
