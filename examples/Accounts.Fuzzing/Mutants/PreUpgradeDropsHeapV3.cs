using ActorMigrate.Canisters;
using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>
/// Mutant 3: v3's pre_upgrade drops the heap-side data of a migration part way — it hands over only the
/// records already copied, as if the stable map held everything — so a downgrade (or any upgrade) then
/// loses the records not yet migrated.
/// </summary>
public sealed class PreUpgradeDropsHeapV3 : AccountsV3
{
    public override void PreUpgrade(Ic0 ic)
    {
        var opened = Open(ic);
        var proxy = opened.Proxy;
        if (proxy.State.Phase == MigrationPhase.Migrating && proxy.State.Direction == MigrationDirection.HeapToStable)
        {
            foreach (var key in opened.Heap.Entries().Select(e => e.Key).Where(k => !proxy.IsMigrated(k)).ToList())
            {
                opened.Heap.Remove(key);
            }
        }

        base.PreUpgrade(ic);
    }
}
