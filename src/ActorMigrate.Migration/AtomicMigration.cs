using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// The guide's step 3 in post_upgrade: migrate everything at once when it fits. One probe step measures
/// the instructions and stable growth per record on this very execution's meter; the projection for
/// the rest must fit the share of the upgrade budget left and the install_code dirty-page limit.
/// </summary>
public static class AtomicMigration
{
    /// <summary>Records the probe step moves before projecting the rest.</summary>
    public const int ProbeRecords = 100;

    /// <summary>Migrates to the end and returns true, or returns false (after the probe step) when the rest would not fit.</summary>
    public static bool TryRunToEnd<K, V>(Ic0 ic, MigrationProxy<K, V> proxy, MigrationSettings settings)
    {
        var limits = ic.Limits;
        var stableBefore = ic.StableSize();
        var probe = proxy.Step(StepSizing.Fixed(ProbeRecords));
        if (proxy.State.Phase != MigrationPhase.Migrating)
        {
            return true;
        }

        var remaining = (long)proxy.State.SourceCountAtStart - (long)proxy.State.MigratedCount;
        var perRecord = (double)probe.InstructionsUsed / Math.Max(1, probe.Records);
        var growthPerRecord = (double)WasmPage.ToBytes(ic.StableSize() - stableBefore) / Math.Max(1, probe.Records);
        var budget = limits.MaxInstructionsPerInstallCode * settings.AtomicBudgetSharePermille / 1_000;
        var fits = ic.InstructionCounter + perRecord * remaining * 1.1 < budget &&
                   growthPerRecord * (remaining + probe.Records) * 1.1 < limits.MaxDirtyStableBytesPerInstallCode;
        if (fits)
        {
            proxy.RunToEnd();
        }

        return fits;
    }
}
