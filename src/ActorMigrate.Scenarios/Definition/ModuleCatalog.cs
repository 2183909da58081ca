using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;

namespace ActorMigrate.Scenarios.Definition;

/// <summary>The modules a scenario can name, by the names scenario files use.</summary>
public static class ModuleCatalog
{
    private static readonly Dictionary<string, Func<CanisterModule>> Modules = new(StringComparer.Ordinal)
    {
        ["accounts-v1"] = () => new AccountsV1(),
        ["accounts-v2"] = () => new AccountsV2(),
        ["accounts-v3"] = () => new AccountsV3(),
        ["accounts-v3-bug4626"] = () => new AccountsV3Bug4626(),
    };

    /// <summary>Modules that have a release whose pre_upgrade traps (scenario flag <c>pre-upgrade-traps</c>).</summary>
    private static readonly Dictionary<string, Func<CanisterModule>> TrappingPreUpgrade = new(StringComparer.Ordinal)
    {
        ["accounts-v3"] = () => new AccountsV3PreUpgradeTraps(),
    };

    public static IReadOnlyCollection<string> Names => Modules.Keys;

    public static bool Exists(string name) => Modules.ContainsKey(name);

    public static bool HasTrappingPreUpgrade(string name) => TrappingPreUpgrade.ContainsKey(name);

    /// <summary>The module named <paramref name="name"/>; its release with a trapping pre_upgrade when <paramref name="preUpgradeTraps"/>.</summary>
    public static CanisterModule Create(string name, bool preUpgradeTraps = false) =>
        (preUpgradeTraps ? TrappingPreUpgrade : Modules).TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"no module {name}{(preUpgradeTraps ? " with a trapping pre_upgrade" : "")}; the modules are {string.Join(", ", Names)}");

    /// <summary>Whether the module named <paramref name="name"/> keeps its records behind a migration proxy (<see cref="Migration.IMigratingModule"/>).</summary>
    public static bool Migrates(string name) => Create(name) is Migration.IMigratingModule;

    /// <summary>The version number of the module named <paramref name="name"/> (downgrades are checked by it).</summary>
    public static int VersionOf(string name) => Create(name).Version;
}
