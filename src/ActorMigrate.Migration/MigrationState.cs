namespace ActorMigrate.Migration;

/// <summary>
/// The migration's progress, kept in stable memory (a StableCell in <see cref="StableLayout.MigrationStateMemory"/>,
/// encoded by <see cref="MigrationStateCodec"/>) so that an upgrade part way resumes where it was.
/// </summary>
/// <param name="Pointer">The encoded key of the last migrated record (null: none yet). It only moves forward within an epoch.</param>
/// <param name="Epoch">Increments on every migration start; the upgrade blob names the epoch it was written in.</param>
/// <param name="LogicalDigest">The multiset digest (<see cref="RecordDigest"/>) of the source's records at or below the pointer: each step adds the records it passes, and writes at or below the pointer keep it current. When the pointer has passed the last key it is the digest of every record the canister holds.</param>
/// <param name="TargetDigest">The multiset digest of the target store, from the records read back after each write into it.</param>
public sealed record MigrationState(
    MigrationPhase Phase,
    MigrationDirection Direction,
    RoutingPolicyKind Policy,
    ulong Epoch,
    byte[]? Pointer,
    SchemaLabel SourceSchema,
    SchemaLabel TargetSchema,
    ulong SourceCountAtStart,
    ulong MigratedCount,
    ulong LogicalDigest,
    ulong TargetDigest,
    ulong Steps,
    long LargestStepInstructions,
    StepSizing Sizing,
    string AbortReason)
{
    public static MigrationState Initial { get; } = new(
        MigrationPhase.Idle, MigrationDirection.HeapToStable, RoutingPolicyKind.DualWrite, 0, null,
        SchemaLabel.Heap, SchemaLabel.Stable, 0, 0, 0, 0, 0, 0, StepSizing.Fixed(20), "");

    /// <summary>The schema whose store holds the truth for a read (for pointer-routed migrations, keys above the pointer).</summary>
    public SchemaLabel Authoritative => Phase == MigrationPhase.Completed ? TargetSchema : SourceSchema;
}
