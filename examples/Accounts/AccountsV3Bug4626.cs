using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts;

/// <summary>
/// A deliberately broken v3 with the NNS dapp's real bug #4626: the upgrade hooks chose the storage
/// format by the schema label on disk — written when the canister last booted — instead of by the
/// authoritative store. After a reverse migration (stable → heap) switches, the label still says
/// "STBL": pre_upgrade skips saving the heap, post_upgrade trusts the stale stable map, and every write
/// since the switch is lost.
/// </summary>
public sealed class AccountsV3Bug4626 : AccountsV3
{
    protected override SchemaLabel StoreOfRecord(MigrationState state, SchemaLabel? labelOnDisk) => labelOnDisk ?? state.Authoritative;

    protected override bool PreUpgradeWritesLabel => false;
}
