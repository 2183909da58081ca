using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;

namespace ActorMigrate.Scenarios.Definition;

/// <summary>
/// v3 released with a pre_upgrade that always traps (say, it grew past the upgrade's instruction limit):
/// every upgrade away from it fails and leaves it running, until the controller upgrades with
/// skip_pre_upgrade — safe here because v3's accounts already live in stable memory.
/// </summary>
public sealed class AccountsV3PreUpgradeTraps : AccountsV3
{
    public override void PreUpgrade(Ic0 ic) => ic.Trap("pre_upgrade: this release's pre_upgrade always traps (the scenario's pre-upgrade-traps)");
}
