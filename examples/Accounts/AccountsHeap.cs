using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Accounts;

/// <summary>The heap side every version shares: the ordered map and v1's raw pre-upgrade layout.</summary>
/// <remarks>
/// v1's raw layout, at stable offset 0 (no MemoryManager):
/// | offset | size | field                                      |
/// |--------|------|--------------------------------------------|
/// | 0      | 4    | blob length N (little-endian)              |
/// | 4      | N    | the heap map serialized (HeapSerialization) |
/// </remarks>
public static class AccountsHeap
{
    public const string MapName = "accounts";

    public static HeapStore<string, Account> Open(Ic0 ic) => HeapStore<string, Account>.Open(ic, MapName, AccountCodec.Keys, AccountCodec.Instance);

    public static void WriteRawV1(Ic0 ic) => new StableWriter(ic.StableMemory).WriteLengthPrefixed(Open(ic).Map.Serialize());

    /// <summary>Reads v1's raw blob when stable memory holds one (something, and no "MGR" magic); false otherwise.</summary>
    public static bool TryReadRawV1(Ic0 ic)
    {
        if (ic.StableSize() == 0 || StableLayout.IsManaged(ic.StableMemory))
        {
            return false;
        }

        Open(ic).Map.Deserialize(new StableReader(ic.StableMemory).ReadLengthPrefixed());
        return true;
    }
}
