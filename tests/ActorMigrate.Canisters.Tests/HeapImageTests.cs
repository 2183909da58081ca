using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Canisters.Tests;

/// <summary>The heap image a durable host persists: a heap restored from it must be the heap it imaged, now and later.</summary>
public sealed class HeapImageTests
{
    private static readonly Arbitrary<(int[] Before, int[] After)> Scripts =
        Gen.Choose(0, 500).ArrayOf().Two().Select(t => (t.Item1, t.Item2)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property A_heap_restored_from_its_image_and_changed_further_equals_the_heap_changed_without_the_round_trip() =>
        Prop.ForAll(Scripts, scripts =>
        {
            var original = new EngineHarness();
            var restored = new EngineHarness();
            var a = original.CreateAndInstall(new ScriptModule());
            var b = restored.CreateAndInstall(new ScriptModule());
            original.Update<int>(a, "apply", (scripts.Before, false));
            restored.Update<int>(b, "apply", (scripts.Before, false));
            var image = restored.Subnet[b].Heap.ToImage();
            restored.Subnet.RestoreHeap(b, image);
            var pendingImage = restored.Subnet[b].Heap.ToImage(); // no container opened yet

            var sameBefore = Same(original.Subnet[a].Heap, restored.Subnet[b].Heap);
            original.Update<int>(a, "apply", (scripts.After, false));
            restored.Update<int>(b, "apply", (scripts.After, false)); // opens every container with its codecs

            return (image.AsSpan().SequenceEqual(pendingImage) && sameBefore && Same(original.Subnet[a].Heap, restored.Subnet[b].Heap))
                .Label($"image round trip {image.AsSpan().SequenceEqual(pendingImage)}, before {sameBefore}");
        });

    private static bool Same(Heap x, Heap y) =>
        x.Digest().AsSpan().SequenceEqual(y.Digest()) && x.SizeBytes == y.SizeBytes && x.LiveBytes == y.LiveBytes &&
        x.ToImage().AsSpan().SequenceEqual(y.ToImage());

    [Fact]
    public void A_restored_heap_keeps_its_high_water_mark_above_what_it_holds_now()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new ScriptModule());
        ic.Update<int>(id, "apply", (Enumerable.Range(0, 40).Select(i => 4 * 7 + i * 42).ToArray(), false)); // pushes
        ic.Update<int>(id, "apply", (Enumerable.Range(0, 40).Select(_ => 36).ToArray(), false)); // pops (36 / 7 = 5, even)
        var heap = ic.Subnet[id].Heap;
        Assert.True(heap.SizeBytes > heap.LiveBytes);

        var restored = Heap.FromImage(heap.ToImage());

        Assert.Equal((heap.SizeBytes, heap.LiveBytes), (restored.SizeBytes, restored.LiveBytes));
        Assert.Equal(heap.Digest(), restored.Digest());
    }

    [Fact]
    public void Opening_a_restored_container_as_another_kind_names_both_kinds()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new ScriptModule());
        ic.Update<int>(id, "apply", (new[] { 1 }, false));
        var restored = Heap.FromImage(ic.Subnet[id].Heap.ToImage());

        var error = Assert.Throws<InvalidOperationException>(() => restored.Vector("m", Storable.U64));
        Assert.Contains("'m' is a Map in the restored heap image, not a Vector", error.Message);
    }

    [Fact]
    public void A_truncated_heap_image_is_refused_with_the_offset()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new ScriptModule());
        ic.Update<int>(id, "apply", (new[] { 1, 20, 30 }, false));
        var image = ic.Subnet[id].Heap.ToImage();

        var error = Assert.Throws<CorruptMemoryException>(() => Heap.FromImage(image.AsMemory(0, image.Length - 2)));
        Assert.Contains("offset", error.Message);
    }
}
