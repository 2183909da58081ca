using ActorMigrate.StableMemory.BTreeMap;
using ActorMigrate.StableMemory.Conformance;

namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>The BTreeMap against images written by the Rust library (skipped without ../shared).</summary>
public class BTreeMapConformanceTests
{

    [ConformanceTheory]
    [InlineData("btree_u64")]
    [InlineData("btree_blob")]
    [InlineData("btree_bytes")]
    [InlineData("btree_v1")]
    [InlineData("btree_v1_upgraded")]
    [InlineData("manager_over_raw")]
    public void A_case_replays_to_the_rust_image_byte_for_byte_and_reads_back_its_expect(string name)
    {
        var result = new ConformanceRunner().Run(
            new ConformanceCase(name, ConformanceData.PathOf("stable-structures-main", name + ".ops")));
        Assert.True(result.Passed, result.Reason);
    }

    [ConformanceFact]
    public void A_v1_map_with_packed_headers_matches_the_upstream_dump_byte_for_byte()
    {
        var dump = File.ReadAllBytes(ConformanceData.PathOf("upstream", "btreemap_v1_packed_headers.dump"));
        var memory = new SparseMemory();
        var map = StableBTreeMap<Blob, Blob>.InitV1(memory, Storable.Blob(10), Storable.Blob(10));
        Assert.False(map.Insert(new Blob([1, 2, 3]), new Blob([4, 5, 6]), out _));
        Assert.True(map.TryGetValue(new Blob([1, 2, 3]), out var value));
        Assert.Equal(new Blob([4, 5, 6]), value);
        Assert.Equal(dump, memory.ToArray());
    }

    [ConformanceFact]
    public void The_runner_checks_the_v1_packed_headers_golden()
    {
        var result = new ConformanceRunner().RunGolden(ConformanceData.PathOf("upstream", "btreemap_v1_packed_headers.dump"));
        Assert.True(result.Passed, result.Reason);
    }

    [ConformanceFact]
    public void The_upstream_v1_dump_loads_through_current_code_and_stays_version_1_on_disk()
    {
        var dump = File.ReadAllBytes(ConformanceData.PathOf("upstream", "btreemap_v1_packed_headers.dump"));
        var memory = SparseMemory.FromImage(dump);
        var map = StableBTreeMap<Blob, Blob>.Init(memory, Storable.Blob(10), Storable.Blob(10));
        Assert.Equal(1, map.LayoutVersion);
        Assert.Equal([new KeyValuePair<Blob, Blob>(new Blob([1, 2, 3]), new Blob([4, 5, 6]))], map.ToList());
        Assert.Equal(dump, memory.ToArray());
    }
}
