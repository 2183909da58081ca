using ActorMigrate.StableMemory.Conformance;

namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// The library's <c>btreemap_v1_packed_headers.dump</c>: a version-1 map of Blob&lt;10&gt; to Blob&lt;10&gt;
/// on raw memory after inserting [1,2,3] → [4,5,6]. Both the bytes written and the map read back
/// from the dump must match.
/// </summary>
public sealed class V1PackedHeadersGoldenCheck : IGoldenCheck
{
    public string FileName => "btreemap_v1_packed_headers.dump";

    public string? Check(byte[] golden)
    {
        var memory = new SparseMemory();
        var map = StableBTreeMap<Blob, Blob>.InitV1(memory, Storable.Blob(10), Storable.Blob(10));
        map.Insert(new Blob([1, 2, 3]), new Blob([4, 5, 6]), out _);
        var difference = ImageComparison.FirstDifference(memory.ToArray(), golden);
        if (difference is not null)
        {
            return difference;
        }

        var loaded = StableBTreeMap<Blob, Blob>.Init(SparseMemory.FromImage(golden), Storable.Blob(10), Storable.Blob(10)).ToList();
        return loaded is [{ Key: var k, Value: var v }] && k == new Blob([1, 2, 3]) && v == new Blob([4, 5, 6])
            ? null
            : $"the dump reads back as {loaded.Count} entries, expected [010203 → 040506]";
    }
}
