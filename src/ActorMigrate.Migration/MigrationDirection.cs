namespace ActorMigrate.Migration;

/// <summary>Heap to stable (the migration) or stable to heap (the in-binary rollback, as the NNS dapp did).</summary>
public enum MigrationDirection : byte
{
    HeapToStable = 0,
    StableToHeap = 1,
}
