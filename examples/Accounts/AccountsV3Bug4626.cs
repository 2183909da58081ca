using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts;

/// <summary>
/// A deliberately broken v3 with the NNS dapp's real bug #4626 (dfinity/nns-dapp#4626): the upgrade hooks
/// chose the storage format by what stable memory is set up for — the schema label on disk — instead of
/// by the store the canister is actually using. Stable memory is set up for the stable map as soon as a
/// heap → stable migration has formatted it, and stays so after a reverse migration, so:
/// <list type="bullet">
/// <item>part way through a forward migration, pre_upgrade sees "STBL", does not save the heap (still the
/// store of record), and post_upgrade trusts the half-filled stable map: every account above the pointer,
/// and every write to one, is lost — the trigger the NNS dapp hit (its migration test run twice);</item>
/// <item>after a reverse migration (stable → heap) has switched, the label still says "STBL": the writes
/// made since the switch, which live on the heap only, are lost the same way.</item>
/// </list>
/// </summary>
public sealed class AccountsV3Bug4626 : AccountsV3
{
    protected override SchemaLabel StoreOfRecord(MigrationState state, SchemaLabel? labelOnDisk) => labelOnDisk ?? state.Authoritative;

    protected override bool PreUpgradeWritesLabel => false;

    protected override bool PreUpgradeSavesHeap(MigrationState state, SchemaLabel? labelOnDisk) => labelOnDisk != SchemaLabel.Stable;

    /// <summary>The layout stable memory is set up for: the stable map once a migration towards it has started.</summary>
    protected override SchemaLabel LabelAfterPostUpgrade(MigrationState state, SchemaLabel? labelOnDisk) =>
        state.TargetSchema == SchemaLabel.Stable && state.Phase is MigrationPhase.Migrating or MigrationPhase.Completed
            ? SchemaLabel.Stable
            : labelOnDisk ?? state.Authoritative;
}
