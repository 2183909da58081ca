using ActorMigrate.StableMemory.Conformance;
using ActorMigrate.StableMemory.Inspection;
using Manager = ActorMigrate.StableMemory.MemoryManager;

namespace ActorMigrate.StableMemory.Tests.Structures;

public sealed class ImageInspectorTests
{
    private static byte[] CaseImage(string name) =>
        ConformanceRunner.Gunzip(ConformanceData.PathOf("stable-structures-main", name + ".image.gz"));

    private static string[] CaseExpect(string name) =>
        File.ReadAllLines(ConformanceData.PathOf("stable-structures-main", name + ".expect"));

    [ConformanceFact]
    public void The_canister_layout_image_is_reported_memory_by_memory_with_its_structures_figures()
    {
        var report = ImageInspector.Inspect(CaseImage("canister_layout"));

        Assert.Equal(new ManagerReport(1, 1, 5), report.Manager);
        Assert.Equal(
            [
                "0 1 [0] cell: Cell holding a 34-byte value",
                "2 1 [4] btreemap: BTreeMap v2 (page size 275 bytes), 100 entries, depth 3",
                "3 1 [1] vec: Vec of 36 elements (fixed 8 bytes)",
                "4 1 [2] log-index: Log index of 36 entries (8428 bytes of data)",
                "5 1 [3] log-data: Log data (65504 bytes after the header)",
            ],
            report.Memories.Select(m => $"{m.Id} {m.SizeInPages} [{string.Join(',', m.Buckets!)}] {m.Content.Kind}: {m.Content.Summary}"));
    }

    [ConformanceFact]
    public void Dumps_of_the_canister_layout_image_list_exactly_what_the_expect_file_lists()
    {
        var image = CaseImage("canister_layout");
        var expect = CaseExpect("canister_layout");

        Assert.Equal(expect[0].Split(' ')[3], Assert.Single(ImageInspector.Dump(image, "0")));
        Assert.Equal(Section(expect, "vec 3 u64"), ImageInspector.Dump(image, "3", valueType: "u64"));
        Assert.Equal(Section(expect, "log 4 5 bytes"), ImageInspector.Dump(image, "4"));
        Assert.Equal(Section(expect, "btree 2 u64 u64"), ImageInspector.Dump(image, "2", "u64", "u64"));
    }

    [ConformanceFact]
    public void A_version_1_map_on_raw_memory_reports_its_key_and_value_bounds()
    {
        var report = ImageInspector.Inspect(CaseImage("btree_v1"));

        Assert.Null(report.Manager);
        var raw = Assert.Single(report.Memories);
        Assert.Equal("BTreeMap v1 (keys ≤ 8 bytes, values ≤ 16 bytes), 349 entries, depth 3", raw.Content.Summary);
        Assert.Equal(Section(CaseExpect("btree_v1"), "btree raw u64 blob16"), ImageInspector.Dump(CaseImage("btree_v1"), "raw", "u64", "blob16"));
    }

    [Fact]
    public void A_raw_memory_with_a_length_prefixed_blob_at_offset_0_is_named_as_such()
    {
        var image = new byte[65_536];
        BitConverter.TryWriteBytes(image, 5_000u);

        var content = Assert.Single(ImageInspector.Inspect(image).Memories).Content;

        Assert.Equal("length-prefixed-blob", content.Kind);
        Assert.Contains("5000 bytes after a 4-byte length", content.Summary);
    }

    [Fact]
    public void The_upgrade_blob_in_a_virtual_memory_is_named_as_a_length_prefixed_blob()
    {
        var memory = new SparseMemory();
        var upgradeMemory = Manager.Init(memory, 1).Get(1);
        new StableWriter(upgradeMemory).WriteLengthPrefixed(new byte[70_000]);

        var content = Assert.Single(ImageInspector.Inspect(memory.ToArray()).Memories).Content;

        Assert.Equal("length-prefixed-blob", content.Kind);
        Assert.Equal("a length-prefixed blob at offset 0 (70000 bytes after a 4-byte length)", content.Summary);
    }

    [Fact]
    public void Structures_built_here_are_identified_in_virtual_memories_and_the_image_is_left_unchanged()
    {
        var memory = new SparseMemory();
        var manager = Manager.Init(memory, 1);
        var heap = StableMinHeap<ulong>.New(manager.Get(7), Storable.U64);
        heap.Push(9);
        heap.Push(4);
        StableCell<byte[]>.New(manager.Get(8), Storable.Bytes, [1, 2]);
        var image = memory.ToArray();
        var copy = image.ToArray();

        var report = ImageInspector.Inspect(image);

        Assert.Equal(["minheap: MinHeap of 2 elements (fixed 8 bytes)", "cell: Cell holding a 2-byte value"], report.Memories.Select(m => $"{m.Content.Kind}: {m.Content.Summary}"));
        Assert.Equal(["4", "9"], ImageInspector.Dump(image, "7", valueType: "u64"));
        Assert.Equal(["0102"], ImageInspector.Dump(image, "8"));
        Assert.Equal(copy, image);
    }

    [ConformanceFact]
    public void A_memory_with_an_inconsistent_header_is_flagged_by_name_and_the_others_are_still_reported()
    {
        var image = CaseImage("canister_layout");
        image[(2 * 65_536) + 6] = 0xff; // the Vec in memory 3 (bucket 1, page 2) now claims 0xff0024 elements in one page

        var report = ImageInspector.Inspect(image);

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("memory 3: StableVec length", problem);
        Assert.Equal(["cell", "btreemap", "corrupt", "log-index", "log-data"], report.Memories.Select(m => m.Content.Kind));
    }

    [Fact]
    public void A_truncated_image_is_refused_naming_its_length()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => ImageInspector.Inspect(new byte[65_536 + 100]));
        Assert.Contains("65636 bytes long, not a whole number of 64 KiB pages", e.Message);
    }

    [Fact]
    public void A_dump_of_a_map_without_its_types_or_of_a_memory_without_a_structure_is_a_usage_error()
    {
        var memory = new SparseMemory();
        var manager = Manager.Init(memory, 1);
        manager.Get(1).Grow(1);

        var image = memory.ToArray();
        Assert.Contains("no structure to dump", Assert.Throws<ArgumentException>(() => ImageInspector.Dump(image, "1")).Message);
        Assert.Contains("name a virtual memory id", Assert.Throws<ArgumentException>(() => ImageInspector.Dump(image, "raw")).Message);
    }

    private static string[] Section(string[] expect, string headerStart)
    {
        var start = Array.FindIndex(expect, l => l.StartsWith(headerStart + " len ", StringComparison.Ordinal));
        var count = int.Parse(expect[start].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        return expect[(start + 1)..(start + 1 + count)];
    }
}
