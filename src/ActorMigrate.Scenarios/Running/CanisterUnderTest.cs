using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;

namespace ActorMigrate.Scenarios.Running;

/// <summary>One canister of a run: its id, the module the runner installed last, its model and its snapshots.</summary>
internal sealed class CanisterUnderTest(string name, Principal id, string module, AccountWorkload workload)
{
    public string Name => name;

    public Principal Id => id;

    /// <summary>The scenario's name of the installed module (kept for recovery, which finds modules by name).</summary>
    public string Module { get; set; } = module;

    public bool PreUpgradeTraps { get; set; }

    public AccountWorkload Workload => workload;

    /// <summary>Snapshots taken, latest last, with the module and the model they hold.</summary>
    public Stack<(ulong Id, string Module, bool PreUpgradeTraps, SortedDictionary<string, Account> Model)> Snapshots { get; } = new();

    /// <summary>What the host said the stores had served it at the last sample (each sample adds the difference).</summary>
    public TrafficServed LastServed { get; set; } = TrafficServed.None;

    /// <summary>The migration state's epoch and step count at the last sample (steps are counted by their difference).</summary>
    public (ulong Epoch, ulong Steps) LastSteps { get; set; }
}
