namespace ActorMigrate.StableMemory.Tests.BTreeMap;

/// <summary>
/// A deliberately wrong u64 codec: its order treats 2n and 2n + 1 as the same key, so the map
/// overwrites or finds the wrong entry. The properties must catch it.
/// </summary>
internal sealed class TiesBrokenU64Codec : IStorable<ulong>
{
    public StorableBound Bound => Storable.U64.Bound;

    public int SizeOf(ulong value) => 8;

    public void Write(ulong value, Span<byte> destination) => Storable.U64.Write(value, destination);

    public ulong Read(ReadOnlySpan<byte> source) => Storable.U64.Read(source);

    public int Compare(ulong x, ulong y) => (x >> 1).CompareTo(y >> 1);
}
