using ActorMigrate.StableMemory.Conformance;
using Manager = ActorMigrate.StableMemory.MemoryManager;

namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>
/// The Cell, StableVec and Log of the canister_layout case against the Rust library's image, on their own:
/// replaying only their lines must give exactly the pages they own in the image, and reading the image must
/// give exactly their sections of the .expect. (The whole case, BTreeMap included, is checked through the
/// runner as well.)
/// </summary>
public sealed class CanisterLayoutStructuresConformanceTests
{
    private const string Case = "canister_layout";
    private static readonly string[] Keywords = ["cell", "vec", "log"];

    private static string PathOf(string extension) => ConformanceData.PathOf("stable-structures-main", Case + extension);

    [ConformanceFact]
    public void Canister_layout_replays_to_the_rust_image_byte_for_byte_and_reads_back_its_expect_through_the_runner()
    {
        var result = new ConformanceRunner().Run(new ConformanceCase(Case, PathOf(".ops")));
        Assert.True(result.Passed, result.Reason);
    }

    [ConformanceFact]
    public void Every_case_and_golden_in_the_conformance_folder_passes_through_the_runner_now_that_every_structure_has_a_driver()
    {
        var results = new ConformanceRunner().RunDirectory(ConformanceData.Directory!);
        Assert.NotEmpty(results);
        Assert.All(results, result => Assert.True(result.Passed, result.ToString()));
    }

    [ConformanceFact]
    public void Replaying_the_cell_vec_and_log_lines_gives_their_buckets_of_the_rust_image_byte_for_byte()
    {
        var ops = File.ReadAllLines(PathOf(".ops"))
            .Where((line, index) => index == 0 || Keywords.Contains(line.Split(' ')[0]) || line.StartsWith("mem ", StringComparison.Ordinal))
            .ToArray();
        var replayed = new ConformanceRunner([new CellDriver(), new VecDriver(), new LogDriver()], []).Replay(ops);
        var image = ConformanceRunner.Gunzip(PathOf(".image.gz"));

        var fromImage = Manager.Load(SparseMemory.FromImage(image));
        var fromReplay = Manager.Load(replayed);
        foreach (var id in new[] { 0, 3, 4, 5 })
        {
            Assert.Equal(fromImage.MemorySize(id), fromReplay.MemorySize(id));
            Assert.Equal(fromImage.Get(id).ToArray(), fromReplay.Get(id).ToArray());
        }
    }

    [ConformanceFact]
    public void Reading_the_rust_image_gives_the_cell_vec_and_log_sections_of_the_expect_file()
    {
        var image = SparseMemory.FromImage(ConformanceRunner.Gunzip(PathOf(".image.gz")));
        var manager = Manager.Load(image);
        var context = new ConformanceContext(id => manager.Get(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)));
        var drivers = new Dictionary<string, IConformanceDriver>
        {
            ["cell"] = new CellDriver(),
            ["vec"] = new VecDriver(),
            ["log"] = new LogDriver(),
        };

        var expect = File.ReadAllLines(PathOf(".expect"));
        var checkedSections = 0;
        for (var i = 0; i < expect.Length;)
        {
            var header = expect[i].Split(' ');
            var entries = header[^2] == "len" ? int.Parse(header[^1], System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (drivers.TryGetValue(header[0], out var driver))
            {
                Assert.Equal(expect[i..(i + 1 + entries)], driver.Read(context, header).ToArray());
                checkedSections++;
            }

            i += 1 + entries;
        }

        Assert.Equal(3, checkedSections);
    }
}
