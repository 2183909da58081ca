using ActorMigrate.Actors.Durability;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// Rounds for tests, generated from a seed, and the model of what they leave: stable memory as a plain
/// byte array, the last metadata, the last heap image, the last round.
/// </summary>
internal sealed class CanisterRounds(int seed, ulong sizeInPages = 2)
{
    private readonly Random random = new(seed);

    private byte[] memory = new byte[WasmPage.ToBytes(sizeInPages)];

    public byte[] Memory => memory;

    public ulong SizeInPages { get; private set; } = sizeInPages;

    public byte[] Metadata { get; private set; } = [];

    public byte[]? HeapImage { get; private set; }

    public long? LastRound { get; private set; }

    /// <summary>The next round: <paramref name="dirtyPages"/> random distinct pages, new metadata, a heap image when asked.</summary>
    public PersistRound Next(long round, int dirtyPages = 3, bool withHeapImage = false, ulong growPages = 0)
    {
        SizeInPages += growPages;
        if (growPages > 0)
        {
            Array.Resize(ref memory, (int)WasmPage.ToBytes(SizeInPages));
        }

        var totalPages = (int)(SizeInPages * (WasmPage.SizeInBytes / PageDelta.PageSize));
        var indexes = Enumerable.Range(0, totalPages).OrderBy(_ => random.Next()).Take(dirtyPages).ToArray();
        var pages = new List<PageDelta>();
        foreach (var index in indexes)
        {
            var bytes = new byte[PageDelta.PageSize];
            random.NextBytes(bytes);
            bytes.CopyTo(memory, index * PageDelta.PageSize);
            pages.Add(new PageDelta((ulong)index, bytes));
        }

        Metadata = RandomBytes(random.Next(0, 64));
        if (withHeapImage)
        {
            HeapImage = RandomBytes(random.Next(1, 20_000));
        }

        LastRound = round;
        return new PersistRound(round, SizeInPages, pages, Metadata, withHeapImage ? HeapImage : (ReadOnlyMemory<byte>?)null);
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Asserts that <paramref name="state"/> is exactly what the rounds so far leave.</summary>
    public void AssertMatches(DurableState state)
    {
        Assert.Equal(LastRound, state.LastDurableRound);
        Assert.Equal(SizeInPages, state.StableMemory.Size);
        Assert.True(Memory.AsSpan().SequenceEqual(state.StableMemory.ToArray()), "recovered stable memory differs from the model");
        Assert.Equal(Metadata, state.Metadata.ToArray());
        Assert.Equal(HeapImage, state.HeapImage?.ToArray());
    }
}
