using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using FsCheck;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// What the fuzzer needs to know of a user's migrating canister: its module versions per strategy, the
/// upgrade arguments to choose from, key and value generators, and the endpoint names of its store and
/// migration. Keys are text (the form they take in an operation list); values are the target's
/// <see cref="ValueType"/>, written to JSON with Newtonsoft. Subclass it for your own module (see
/// examples/Accounts.Fuzzing for the accounts example's binding).
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>A name for reports.</summary>
    public abstract string Name { get; }

    /// <summary>The strategies expected to survive any interleaving (the first is the default).</summary>
    public abstract IReadOnlyList<string> Strategies { get; }

    /// <summary>Deliberately broken strategies the fuzzer must catch (the mutation check).</summary>
    public virtual IReadOnlyList<string> Mutants => [];

    /// <summary>The module versions, oldest first; the runner installs the first.</summary>
    public abstract IReadOnlyList<int> Versions { get; }

    /// <summary>The version that runs the migration proxy (its state is read after every operation).</summary>
    public abstract int MigratingVersion { get; }

    /// <summary>The module of <paramref name="version"/> for <paramref name="strategy"/>.</summary>
    public abstract CanisterModule Module(string strategy, int version);

    /// <summary>How many upgrade arguments <see cref="UpgradeArgument"/> can make (an <see cref="UpgradeOp"/> picks one modulo this).</summary>
    public virtual int SettingsChoices => 1;

    /// <summary>The post_upgrade argument of an upgrade to <paramref name="version"/> (null for none).</summary>
    public abstract object? UpgradeArgument(string strategy, int version, int settings);

    /// <summary>The subnet the fuzzer runs on (limits scaled so that a few hundred records meet them).</summary>
    public virtual SubnetSettings Subnet => SubnetSettings.Default;

    public abstract Type ValueType { get; }

    /// <summary>Keys, including the edge keys of the key order (empty, lowest, highest, long).</summary>
    public abstract Gen<string> Keys { get; }

    /// <summary>A value for <paramref name="key"/> (small ones and large ones).</summary>
    public abstract Gen<object> ValueFor(string key);

    /// <summary>True when two values are the same record.</summary>
    public abstract bool SameValue(object expected, object actual);

    // ---- endpoints ----

    public virtual string PutMethod => "put";

    public virtual string RemoveMethod => "remove";

    public virtual string GetMethod => "get";

    public virtual string RangeMethod => "range";

    public virtual string AllMethod => "all";

    public virtual string StepMethod => "step_migration";

    public virtual string StartMigrationMethod => "start_migration";

    public virtual string MigrationStateMethod => "migration_state";

    /// <summary>The argument of a put (default: a (key, value) tuple).</summary>
    public virtual object PutArgument(string key, object value) => (key, value);

    /// <summary>The argument of a range query (default: a (from, limit) tuple).</summary>
    public virtual object RangeArgument(string from, int limit) => (from, limit);

    /// <summary>The records of an <see cref="AllMethod"/> or <see cref="RangeMethod"/> reply, as (key, value) pairs in order.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, object>> Records(object? reply);

    /// <summary>The argument of <see cref="StartMigrationMethod"/> for a reverse migration in steps of <paramref name="chunk"/>.</summary>
    public abstract object ReverseMigrationArgument(string strategy, int chunk);

    /// <summary>
    /// Upgrades from <paramref name="from"/> to <paramref name="to"/>. Override when a transition needs a
    /// call first (e.g. asking the old version to write the older layout).
    /// </summary>
    public virtual CallResult Upgrade(ICanisterHarness ic, Principal canister, string strategy, int from, int to, int settings, bool skipPreUpgrade, Principal sender) =>
        ic.TryInstallCode(canister, InstallMode.Upgrade, Module(strategy, to), UpgradeArgument(strategy, to, settings), skipPreUpgrade, sender);

    /// <summary>
    /// True when skipping pre_upgrade keeps every record (the escape hatch: nothing lives on the heap).
    /// When false, the runner upgrades with pre_upgrade instead, since losing the heap is then the IC's rule, not a bug.
    /// </summary>
    public virtual bool SkipPreUpgradeKeepsRecords(int installedVersion, MigrationState? state) =>
        installedVersion == MigratingVersion && state is { Phase: MigrationPhase.Completed, Direction: MigrationDirection.HeapToStable };

    /// <summary>
    /// An upper bound on the instructions one record costs a migration step (copy, digest, pointer), used by
    /// the completion bound of budget-driven steps (<see cref="CompletionBound"/>).
    /// </summary>
    public virtual long MaxInstructionsPerRecord => 5_000_000;
}
