using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts.Fuzzing.Mutants;
using ActorMigrate.Migration;
using ActorMigrate.Testing.Fuzzing;
using FsCheck;
using FsCheck.Fluent;

namespace ActorMigrate.Examples.Accounts.Fuzzing;

/// <summary>
/// The accounts example as a fuzz target: v1 → v2 → v3 and back, the correct migration strategies and
/// the seven mutants of issue #8, NNS-dapp-like accounts keyed by principal text.
/// </summary>
public sealed class AccountsFuzzTarget : FuzzTarget
{
    public static AccountsFuzzTarget Instance { get; } = new();

    public const string DualWrite = "dual-write";
    public const string PointerRouted = "pointer-routed";
    public const string BudgetDriven = "budget-driven";
    public const string SelfCall = "self-call";

    /// <summary>Keys drawn from a small space so that traffic overwrites and removes, plus the edge keys of the byte order.</summary>
    public const int KeySpace = 80;

    private static readonly string[] EdgeKeys = ["", "0", "00000-0", "~", "\u00e9t\u00e9", new string('z', 200)];

    public override string Name => "accounts";

    public override IReadOnlyList<string> Strategies => [DualWrite, PointerRouted, BudgetDriven, SelfCall];

    public override IReadOnlyList<string> Mutants => AccountsMutants.Names;

    private static readonly IReadOnlyList<int> VersionList = Array.AsReadOnly(new[] { 1, 2, 3 }); // read after every operation: one list, not one per read

    public override IReadOnlyList<int> Versions => VersionList;

    public override int MigratingVersion => 3;

    /// <summary>
    /// The IC's limits scaled down so that a few dozen accounts meet them as millions meet the real ones:
    /// an update may use 2.5 M instructions (one step moves about 20 typical accounts at most; a step costs
    /// about 100 K per account), a slice 1 M, an upgrade 300 M.
    /// </summary>
    public override SubnetSettings Subnet { get; } = new()
    {
        Limits = new ExecutionLimits
        {
            MaxInstructionsPerUpdate = 2_500_000,
            MaxInstructionsPerSlice = 1_000_000,
            MaxInstructionsPerInstallCode = 300_000_000,
            InstallCodeRateLimitPerRound = 100_000_000,
        },
    };

    public override CanisterModule Module(string strategy, int version) =>
        AccountsMutants.Module(strategy, version) ?? version switch
        {
            1 => new AccountsV1(),
            2 => new AccountsV2(),
            3 => new AccountsV3(),
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "the accounts example has versions 1, 2 and 3"),
        };

    public override int SettingsChoices => 3;

    public override object? UpgradeArgument(string strategy, int version, int settings)
    {
        if (version != 3)
        {
            return null;
        }

        var policy = strategy == PointerRouted ? RoutingPolicyKind.PointerRouted : RoutingPolicyKind.DualWrite;
        var chunk = (settings % 3) switch { 0 => 2, 1 => 4, _ => 3 };
        return new MigrationSettings
        {
            Policy = policy,
            Sizing = strategy == BudgetDriven ? StepSizing.Budget(settings % 3 == 0 ? 250 : 500) : StepSizing.Fixed(chunk),
            Triggers = MigrationTriggers.Heartbeat | (settings % 3 == 2 ? MigrationTriggers.Timer : 0) | (strategy == SelfCall ? MigrationTriggers.SelfCall : 0),
        };
    }

    public override Type ValueType => typeof(Account);

    public override Gen<string> Keys => Gen.Frequency(
        (12, Gen.Zip(Gen.Choose(0, KeySpace / 4 - 1), Gen.Choose(0, 3), (n, sub) => $"{n:D5}-{sub}")),
        (1, Gen.Elements(EdgeKeys)));

    /// <summary>Accounts of the NNS dapp's usual size, and a tail ten times larger (a few KiB).</summary>
    public override Gen<object> ValueFor(string key) =>
        Gen.Zip(Gen.Choose(0, int.MaxValue - 1), Gen.Frequency((9, Gen.Constant(1)), (1, Gen.Constant(10))),
            (seed, scale) => (object)AccountGenerator.NewAccount(new Random(seed), key, scale));

    public override bool SameValue(object expected, object actual) => ((Account)expected).SameAs((Account)actual);

    public override string PutMethod => "put_account";

    public override string RemoveMethod => "remove_account";

    public override string GetMethod => "get_account";

    public override string RangeMethod => "range_accounts";

    public override string AllMethod => "all_accounts";

    public override object PutArgument(string key, object value) => value;

    public override IReadOnlyList<KeyValuePair<string, object>> Records(object? reply) =>
        ((List<Account>)reply!).Select(a => new KeyValuePair<string, object>(a.Principal, a)).ToList();

    public override object ReverseMigrationArgument(string strategy, int chunk) =>
        (MigrationDirection.StableToHeap, new MigrationSettings { Sizing = StepSizing.Fixed(chunk), Triggers = MigrationTriggers.Heartbeat });

    /// <summary>v2 → v1 asks v2 to write v1's raw layout first (DESIGN.md §4); if the upgrade fails, v2 is asked to go back to its own.</summary>
    public override CallResult Upgrade(ActorMigrate.Testing.ICanisterHarness ic, Principal canister, string strategy, int from, int to, int settings, bool skipPreUpgrade, Principal sender)
    {
        if (from == 2 && to == 1)
        {
            ic.TryUpdate(canister, "set_upgrade_format", 1u, sender);
            var result = base.Upgrade(ic, canister, strategy, from, to, settings, skipPreUpgrade, sender);
            if (result.Reject is not null)
            {
                ic.TryUpdate(canister, "set_upgrade_format", 2u, sender);
            }

            return result;
        }

        return base.Upgrade(ic, canister, strategy, from, to, settings, skipPreUpgrade, sender);
    }

    /// <summary>Measured: about 113 K instructions per typical account moved by a step; the few-KiB tail costs more.</summary>
    public override long MaxInstructionsPerRecord => 1_000_000;
}
