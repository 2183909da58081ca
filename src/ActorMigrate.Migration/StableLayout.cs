using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// The virtual memories a migrating canister uses, and how it tells a MemoryManager from a legacy raw
/// layout: by the "MGR" magic at offset 0.
/// </summary>
/// <remarks>
/// | memory | holds                                                            |
/// |--------|------------------------------------------------------------------|
/// | 0      | the schema label (<see cref="SchemaLabel"/>)                     |
/// | 1      | reserved for the pre/post-upgrade blob (<see cref="UpgradeBlob"/>) |
/// | 2      | the records' StableBTreeMap                                       |
/// | 3      | the migration state (<see cref="MigrationState"/>, a StableCell)  |
/// </remarks>
public static class StableLayout
{
    public const int SchemaLabelMemory = 0;
    public const int UpgradeBlobMemory = 1;
    public const int RecordsMemory = 2;
    public const int MigrationStateMemory = 3;

    /// <summary>True when stable memory holds a MemoryManager (starts with "MGR").</summary>
    public static bool IsManaged(IMemory stableMemory) => MemoryManager.HasMagic(stableMemory);

    /// <summary>
    /// The canister's MemoryManager, formatted when stable memory holds none (overwriting offset 0). Opened
    /// once per module instance and kept (a Rust canister's <c>thread_local!</c>), not in every execution.
    /// </summary>
    public static MemoryManager Manager(Ic0 ic) => ic.Heap.Local("stable-layout/memory-manager", () => MemoryManager.Init(ic.StableMemory));

    public static IMemory Memory(Ic0 ic, MemoryManager manager, int id) => ic.VirtualMemory(manager, id);
}
