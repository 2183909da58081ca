using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>A memory that charges a structure's (or the MemoryManager's) Wasm work per read and write, then passes the access on.</summary>
internal sealed class MeteredMemory(Ic0 ic, IMemory inner, StructureCosts costs) : IMemory
{
    public ulong Size => inner.Size;

    public long Grow(ulong pages) => inner.Grow(pages);

    public void Read(ulong offset, Span<byte> destination)
    {
        ic.Charge(costs.PerRead + costs.PerByte * destination.Length);
        inner.Read(offset, destination);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        ic.Charge(costs.PerWrite + costs.PerByte * source.Length);
        inner.Write(offset, source);
    }
}
