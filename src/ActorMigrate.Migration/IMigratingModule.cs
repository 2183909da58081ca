using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// A module with a store migrating through a <see cref="MigrationProxy{K,V}"/>, whose state cell lives
/// in <see cref="StableLayout.MigrationStateMemory"/>. A host (the actor layer) gives such a canister a
/// ProxyActor that runs its executions and publishes the migration's routing and progress.
/// </summary>
public interface IMigratingModule
{
    /// <summary>
    /// The migration state in <paramref name="stableMemory"/> (the canister's committed stable memory,
    /// read outside any execution, unmetered, never written), or null when it holds none yet.
    /// </summary>
    static MigrationState? ReadState(IMemory stableMemory)
    {
        if (!StableLayout.IsManaged(stableMemory))
        {
            return null;
        }

        return ReadState(MemoryManager.Load(stableMemory));
    }

    /// <summary>The migration state in the memories <paramref name="manager"/> holds (loaded from committed stable memory), or null when none yet.</summary>
    static MigrationState? ReadState(MemoryManager manager)
    {
        var memory = manager.Get(StableLayout.MigrationStateMemory);
        if (memory.Size == 0)
        {
            return null;
        }

        Span<byte> magic = stackalloc byte[3];
        memory.Read(0, magic);
        return magic.SequenceEqual("SCL"u8)
            ? StableCell<MigrationState>.Init(memory, MigrationStateCodec.Instance, MigrationState.Initial).Value
            : null;
    }
}
