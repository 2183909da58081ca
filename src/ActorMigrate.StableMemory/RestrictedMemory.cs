namespace ActorMigrate.StableMemory;

/// <summary>
/// A window of pages [<see cref="FirstPage"/>, <see cref="FirstPage"/> + <see cref="MaxPages"/>) of
/// another memory, addressed from 0: the Rust library's <c>RestrictedMemory</c>. Its size is what of
/// the window the underlying memory has; growing it grows the underlying memory, never past the window.
/// </summary>
public sealed class RestrictedMemory : IMemory
{
    private readonly IMemory inner;

    public RestrictedMemory(IMemory inner, ulong firstPage, ulong maxPages)
    {
        this.inner = inner;
        FirstPage = firstPage;
        MaxPages = maxPages;
    }

    public ulong FirstPage { get; }

    public ulong MaxPages { get; }

    public ulong Size
    {
        get
        {
            var innerSize = inner.Size;
            return innerSize <= FirstPage ? 0 : Math.Min(innerSize - FirstPage, MaxPages);
        }
    }

    public long Grow(ulong pages)
    {
        var previous = Size;
        if (pages > MaxPages - previous)
        {
            return -1;
        }

        // The underlying memory may be smaller than the window's start: grow it up to there too.
        var innerSize = inner.Size;
        var wanted = FirstPage + previous + pages;
        if (wanted > innerSize && inner.Grow(wanted - innerSize) < 0)
        {
            return -1;
        }

        return (long)previous;
    }

    public void Read(ulong offset, Span<byte> destination)
    {
        MemoryExtensions.CheckBounds(offset, destination.Length, WasmPage.ToBytes(Size));
        inner.Read(WasmPage.ToBytes(FirstPage) + offset, destination);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        MemoryExtensions.CheckBounds(offset, source.Length, WasmPage.ToBytes(Size));
        inner.Write(WasmPage.ToBytes(FirstPage) + offset, source);
    }
}
