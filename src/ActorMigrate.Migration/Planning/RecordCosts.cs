namespace ActorMigrate.Migration.Planning;

/// <summary>Per-record figures measured on the engine for one record size (instructions unless named otherwise).</summary>
/// <param name="StableBytesPerRecord">Bytes of the records' own virtual memory (the BTreeMap) per record.</param>
/// <param name="StableOverheadBytes">Stable memory besides the records' buckets: the MemoryManager header and the other memories' buckets.</param>
public sealed record RecordCosts(
    int RecordBytes,
    double HeapWrite,
    double HeapRead,
    double StableWrite,
    double StableRead,
    double StepPerRecord,
    double StepOverhead,
    double AtomicUpgradePerRecord,
    double ReverseUpgradePerRecord,
    double StableBytesPerRecord,
    long StableOverheadBytes,
    double HeapBytesPerRecord);
