using System.Buffers.Binary;
using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// A module whose endpoint applies container operations to <see cref="Containers"/> containers of every
/// kind, each created on first use, then traps or not.
/// </summary>
public sealed class DeltaScriptModule : CanisterModule
{
    /// <summary>Container k is "c{k}" of kind k % 4: cell, map, ordered map (keys in reverse codec order), vector.</summary>
    public const int Containers = 6;

    public override string Name => "delta-script";

    public override int Version => 1;

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<(int[] Ops, bool Trap), int>("apply", (ic, a) =>
        {
            foreach (var op in a.Ops)
            {
                var k = op % Containers;
                var action = op / Containers % 4;
                var key = (ulong)(op / (Containers * 4) % 9);
                var value = new byte[op % 11];
                value.AsSpan().Fill((byte)op);
                switch (k % 4)
                {
                    case 0:
                        ic.Heap.Cell($"c{k}", Storable.Bytes, []).Set(value);
                        break;
                    case 1:
                        var map = ic.Heap.Map($"c{k}", Storable.U64, Storable.Bytes);
                        _ = action == 2 ? map.Remove(key) : map.Insert(key, value);
                        break;
                    case 2:
                        var ordered = ic.Heap.OrderedMap($"c{k}", ReverseU64.Instance, Storable.Bytes);
                        _ = action == 2 ? ordered.Remove(key) : ordered.Insert(key, value);
                        break;
                    default:
                        var vector = ic.Heap.Vector($"c{k}", Storable.Bytes);
                        if (action == 1 && vector.Count > 0)
                        {
                            vector.Set((int)(key % (ulong)vector.Count), value);
                        }
                        else if (action == 2 && vector.Count > 0)
                        {
                            vector.Pop();
                        }
                        else
                        {
                            vector.Push(value);
                        }

                        break;
                }
            }

            if (a.Trap)
            {
                ic.Trap("script traps");
            }

            return a.Ops.Length;
        });

    /// <summary>u64 keys ordered backwards: an ordered map whose codec order is not its key-byte order.</summary>
    private sealed class ReverseU64 : IStorable<ulong>
    {
        public static readonly ReverseU64 Instance = new();

        public StorableBound Bound => Storable.U64.Bound;

        public int SizeOf(ulong value) => 8;

        public void Write(ulong value, Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);

        public ulong Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);

        public int Compare(ulong x, ulong y) => y.CompareTo(x);
    }
}

/// <summary>Per-round heap deltas (<see cref="Heap.TakeDeltaImage"/>) and their merge into an image without codecs.</summary>
public sealed class HeapDeltaTests
{
    /// <summary>Executions: operations, whether the execution traps, whether a delta is taken after it.</summary>
    private static readonly Arbitrary<(int[] Ops, bool Trap, bool TakeDelta)[]> Scripts =
        (from ops in Gen.Choose(0, 2000).ArrayOf()
         from trap in Gen.Elements(false, false, false, true)
         from takeDelta in Gen.Elements(true, true, false)
         select (ops, trap, takeDelta))
            .ArrayOf()
            .Select(a => a.Take(12).ToArray())
            .ToArbitrary();

    private delegate byte[] Merge(byte[] image, IReadOnlyList<byte[]> deltas);

    private static byte[] CorrectMerge(byte[] image, IReadOnlyList<byte[]> deltas) =>
        HeapImageDelta.Apply(image, deltas.Select(d => (ReadOnlyMemory<byte>)d));

    /// <summary>Runs <paramref name="script"/> with changes tracked from after its first execution; true when the merge gives the final image.</summary>
    private static bool MergeGivesTheFinalImage((int[] Ops, bool Trap, bool TakeDelta)[] script, Merge merge)
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new DeltaScriptModule());
        var heap = ic.Subnet[id].Heap;
        var deltas = new List<byte[]>();
        byte[]? image = null;
        foreach (var (ops, trap, takeDelta) in script.Prepend((new[] { 1, 2, 3, 5, 13 }, false, false)))
        {
            ic.TryUpdate(id, "apply", (ops, trap));
            if (image is null)
            {
                image = heap.ToImage();
                heap.TrackChanges();
            }
            else if (takeDelta)
            {
                deltas.Add(heap.TakeDeltaImage());
            }
        }

        deltas.Add(heap.TakeDeltaImage());
        return merge(image!, deltas).AsSpan().SequenceEqual(heap.ToImage());
    }

    [Property(MaxTest = 150)]
    public Property Applying_the_deltas_taken_along_the_way_to_the_first_image_gives_the_final_image_byte_for_byte() =>
        Prop.ForAll(Scripts, script => MergeGivesTheFinalImage(script, CorrectMerge));

    [Property(MaxTest = 60)]
    public Property Applying_the_deltas_one_at_a_time_gives_the_same_image_as_applying_them_at_once() =>
        Prop.ForAll(Scripts, script => MergeGivesTheFinalImage(script, (image, deltas) =>
            deltas.Aggregate(image, (current, delta) => HeapImageDelta.Apply(current, [delta]))));

    [Fact]
    public void A_merge_that_ignores_deletes_is_caught_by_the_property()
    {
        var broken = Prop.ForAll(Scripts, script => MergeGivesTheFinalImage(script, (image, deltas) =>
            HeapImageDelta.Apply(image, deltas.Select(d => (ReadOnlyMemory<byte>)HeapDeltaBytes.WithoutDeletes(d)))));

        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), broken));
    }

    [Fact]
    public void A_heap_that_does_not_track_changes_refuses_to_take_a_delta()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new DeltaScriptModule());

        var error = Assert.Throws<InvalidOperationException>(() => ic.Subnet[id].Heap.TakeDeltaImage());
        Assert.Contains("TrackChanges", error.Message);
    }

    [Fact]
    public void A_heap_restored_from_a_merged_image_digests_like_the_heap_that_took_the_deltas()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new DeltaScriptModule());
        ic.TryUpdate(id, "apply", (Enumerable.Range(0, 2000).ToArray(), false));
        var heap = ic.Subnet[id].Heap;
        var image = heap.ToImage();
        heap.TrackChanges();
        ic.TryUpdate(id, "apply", (new[] { 1 + 6 * 4 * 3, 2 + 6 * 4 * 2, 3 + 6, 3 + 6 * 2, 0 }, false)); // upsert, delete, vector set and pop, cell
        var delta = heap.TakeDeltaImage();

        var restored = Heap.FromImage(HeapImageDelta.Apply(image, [delta]));

        Assert.True(delta.Length < image.Length, $"delta {delta.Length} bytes, image {image.Length}");
        Assert.Equal(heap.Digest(), restored.Digest());
        Assert.Equal((heap.SizeBytes, heap.LiveBytes), (restored.SizeBytes, restored.LiveBytes));
    }

    [Fact]
    public void A_delta_changing_a_container_the_image_lacks_is_refused_naming_the_container()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new DeltaScriptModule());
        ic.TryUpdate(id, "apply", (new[] { 1 }, false)); // map c1
        var heap = ic.Subnet[id].Heap;
        heap.TrackChanges();
        ic.TryUpdate(id, "apply", (new[] { 1 + 6 * 4 }, false)); // map c1 changes
        var delta = heap.TakeDeltaImage();
        var emptyImage = new Heap().ToImage();

        var error = Assert.Throws<CorruptMemoryException>(() => HeapImageDelta.Apply(emptyImage, [delta]));
        Assert.Contains("heap delta #0, container 'c1'", error.Message);
        Assert.Contains("does not have", error.Message);
    }

    [Fact]
    public void A_truncated_delta_is_refused_naming_the_delta_and_the_offset()
    {
        var (image, delta) = ImageAndDelta();

        var error = Assert.Throws<CorruptMemoryException>(() => HeapImageDelta.Apply(image, [delta.AsMemory(0, delta.Length - 3)]));
        Assert.Contains("heap delta #0", error.Message);
        Assert.Contains("offset", error.Message);
    }

    [Fact]
    public void A_delta_with_a_wrong_magic_or_an_unknown_form_is_refused()
    {
        var (image, delta) = ImageAndDelta();
        var badMagic = delta.ToArray();
        badMagic[0] = (byte)'X';
        var badForm = delta.ToArray();
        badForm[HeapDeltaBytes.FirstFormOffset(delta)] = 7;

        Assert.Contains("not \"AMHD\"", Assert.Throws<CorruptMemoryException>(() => HeapImageDelta.Apply(image, [badMagic])).Message);
        Assert.Contains("unknown form 7", Assert.Throws<CorruptMemoryException>(() => HeapImageDelta.Apply(image, [badForm])).Message);
    }

    [Fact]
    public void A_version_1_image_with_an_ordered_map_in_codec_order_reads_back_sorted_by_key_bytes()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new DeltaScriptModule());
        ic.TryUpdate(id, "apply", (new[] { 2 + 24 * 1, 2 + 24 * 2, 2 + 24 * 3, 1, 3 }, false)); // ordered map c2: keys 1, 2, 3
        var image = ic.Subnet[id].Heap.ToImage();
        var version1 = HeapDeltaBytes.AsVersion1WithReversedOrderedMaps(image);
        Assert.False(version1.AsSpan(5).SequenceEqual(image.AsSpan(5)), "the rewrite must change the ordered map's order");

        var restored = Heap.FromImage(version1);

        Assert.Equal(image, restored.ToImage());
        Assert.Equal(ic.Subnet[id].Heap.Digest(), restored.Digest());
    }

    private static (byte[] Image, byte[] Delta) ImageAndDelta()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new DeltaScriptModule());
        ic.TryUpdate(id, "apply", (Enumerable.Range(0, 40).ToArray(), false));
        var heap = ic.Subnet[id].Heap;
        var image = heap.ToImage();
        heap.TrackChanges();
        ic.TryUpdate(id, "apply", (Enumerable.Range(0, 40).Select(i => i * 5 + 1).ToArray(), false));
        return (image, heap.TakeDeltaImage());
    }
}
