using ActorMigrate.Migration;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Proxy;

/// <summary>
/// Reads a canister's <see cref="MigrationState"/> from its committed stable memory once per round, as
/// <see cref="IMigratingModule.ReadState(IMemory)"/> does, without loading the MemoryManager every time: loading
/// builds the owner lists of all 32,768 buckets (about a tenth of a millisecond, every round of a
/// migration). The loaded manager is kept with a copy of the metadata it was loaded from (header and
/// bucket table, <see cref="MemoryManagerLayout.MetadataLength"/> bytes) and reused while the memory is
/// the same object and its metadata are byte for byte the same — then every bucket is where the kept
/// manager says. Anything else (a reset, a reformat, a raw layout written over offset 0, a new
/// bucket) loads it again.
/// </summary>
internal sealed class MigrationStateReader
{
    private IMemory? memory;
    private MemoryManager? manager;
    private readonly byte[] loadedFrom = new byte[MemoryManagerLayout.MetadataLength];
    private readonly byte[] current = new byte[MemoryManagerLayout.MetadataLength];

    /// <summary>The migration state in <paramref name="stableMemory"/>, or null when it holds none (same answer as <see cref="IMigratingModule.ReadState(IMemory)"/>).</summary>
    public MigrationState? Read(IMemory stableMemory)
    {
        if (!StableLayout.IsManaged(stableMemory) || stableMemory.SizeInBytes() < (ulong)MemoryManagerLayout.MetadataLength)
        {
            return IMigratingModule.ReadState(stableMemory); // null, or the loader's own error for a truncated manager
        }

        stableMemory.Read(0, current);
        if (manager is null || !ReferenceEquals(memory, stableMemory) || !current.AsSpan().SequenceEqual(loadedFrom))
        {
            manager = MemoryManager.Load(stableMemory);
            memory = stableMemory;
            current.CopyTo(loadedFrom.AsSpan());
        }

        return IMigratingModule.ReadState(manager);
    }
}
