using ActorMigrate.StableMemory.Conformance;

namespace ActorMigrate.StableMemory.Tests.Conformance;

/// <summary>The MemoryManager against the Rust library's images and goldens (skipped without ../shared).</summary>
public class MemoryManagerConformanceTests
{
    private static string CasePath(string name) => ConformanceData.PathOf("stable-structures-main", name + ".ops");

    [ConformanceFact]
    public void Manager_raw_replays_to_the_rust_image_byte_for_byte_and_reads_back_its_sizes()
    {
        var result = new ConformanceRunner().Run(new ConformanceCase("manager_raw", CasePath("manager_raw")));
        Assert.True(result.Passed, result.Reason);
    }

    [ConformanceFact]
    public void The_stability_writes_reproduce_stability_write_golden_byte_for_byte()
    {
        var result = new ConformanceRunner().RunGolden(ConformanceData.PathOf("upstream", "stability_write.golden.gz"));
        Assert.True(result.Passed, result.Reason);
    }

    [ConformanceFact]
    public void The_stability_reads_reproduce_stability_read_golden_byte_for_byte()
    {
        var result = new ConformanceRunner().RunGolden(ConformanceData.PathOf("upstream", "stability_read.golden.gz"));
        Assert.True(result.Passed, result.Reason);
    }

    [ConformanceFact]
    public void Manager_over_raw_formats_over_the_legacy_blob_exactly_like_rust_up_to_its_first_btree_line()
    {
        // The case continues with a BTreeMap (another helper's driver); up to the manager init it needs
        // only raw memory and the MemoryManager, and page 0 of the image is already final then except
        // for the header fields later grows change: the bucket table's free tail and the old blob's
        // bytes past the table are not touched again.
        var ops = File.ReadAllLines(CasePath("manager_over_raw"));
        var initLine = Array.FindIndex(ops, l => l.StartsWith("manager init", StringComparison.Ordinal));
        Assert.True(initLine > 0);
        var replayed = new ConformanceRunner([], []).Replay(ops[..(initLine + 1)]);
        var image = ConformanceRunner.Gunzip(ConformanceData.PathOf("stable-structures-main", "manager_over_raw.image.gz"));

        var page = replayed.ToArray();
        Assert.Equal(image[..4], page[..4]);   // magic and version
        Assert.Equal(image[6..8], page[6..8]); // bucket size
        var unchangedFrom = 2080 + image.AsSpan(2080, 32_768).IndexOf((byte)0xFF);
        Assert.Equal(image[unchangedFrom..65_536], page[unchangedFrom..65_536]);
    }

    [ConformanceFact]
    public void The_legacy_blob_of_manager_over_raw_reads_back_with_StableReader_until_Init_formats_over_it()
    {
        var ops = File.ReadAllLines(CasePath("manager_over_raw"));
        var initLine = Array.FindIndex(ops, l => l.StartsWith("manager init", StringComparison.Ordinal));
        var runner = new ConformanceRunner([], []);
        var written = Convert.FromHexString(ops[2].Split(' ')[4]);

        var beforeInit = runner.Replay(ops[..initLine]);
        Assert.Equal(written[4..], new StableReader(beforeInit).ReadLengthPrefixed());

        var afterInit = runner.Replay(ops[..(initLine + 1)]);
        Assert.True(StableMemory.MemoryManager.HasMagic(afterInit));
        Assert.Throws<CorruptMemoryException>(() => new StableReader(afterInit).ReadLengthPrefixed());
    }
}
