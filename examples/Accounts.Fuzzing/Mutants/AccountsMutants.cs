using ActorMigrate.Canisters;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>
/// The seven deliberately broken strategies of issue #8, by name. Each replaces one module version of
/// the accounts example (the others stay correct) and runs with dual-write, heartbeat steps.
/// </summary>
public static class AccountsMutants
{
    public const string ForgottenSecondWrite = "mutant-forgotten-second-write";
    public const string PointerInLaterExecution = "mutant-pointer-in-later-execution";
    public const string PreUpgradeDropsHeap = "mutant-pre-upgrade-drops-heap";
    public const string V2WrongBlobMemory = "mutant-v2-wrong-blob-memory";
    public const string Bug4626 = "mutant-4626-label-not-store";
    public const string UncheckedCompletion = "mutant-unchecked-completion";
    public const string UnboundedStep = "mutant-unbounded-step";

    public static IReadOnlyList<string> Names { get; } =
        [ForgottenSecondWrite, PointerInLaterExecution, PreUpgradeDropsHeap, V2WrongBlobMemory, Bug4626, UncheckedCompletion, UnboundedStep];

    /// <summary>The broken module of <paramref name="strategy"/> for <paramref name="version"/>, or null where the mutant uses the correct one.</summary>
    public static CanisterModule? Module(string strategy, int version) => (strategy, version) switch
    {
        (ForgottenSecondWrite, 3) => new ForgottenSecondWriteV3(),
        (PointerInLaterExecution, 3) => new PointerInLaterExecutionV3(),
        (PreUpgradeDropsHeap, 3) => new PreUpgradeDropsHeapV3(),
        (V2WrongBlobMemory, 2) => new WrongBlobMemoryV2(),
        (Bug4626, 3) => new AccountsV3Bug4626(),
        (UncheckedCompletion, 3) => new UncheckedCompletionV3(),
        (UnboundedStep, 3) => new UnboundedStepV3(),
        _ => null,
    };
}
