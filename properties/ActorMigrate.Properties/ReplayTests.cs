using ActorMigrate.Examples.Accounts.Fuzzing;

namespace ActorMigrate.Properties;

/// <summary>Saved counterexamples, replayed exactly: each fails its mutant and passes the correct strategy.</summary>
public sealed class ReplayTests
{
    private static FuzzHost Engine() => new EngineFuzzHost(AccountsFuzzTarget.Instance.Subnet);

    [Theory]
    [ReplayOperations("replays/mutant-4626-label-not-store.json")]
    [ReplayOperations("replays/mutant-v2-wrong-blob-memory.json")]
    public void A_saved_counterexample_still_fails_its_mutant_and_passes_the_correct_strategy(FuzzOperationsJson.Document list)
    {
        var target = AccountsFuzzTarget.Instance;
        Assert.False(FuzzRunner.Run(target, list.Strategy, Engine, list.Operations).Passed, $"{list.Strategy} passes its saved counterexample");
        Assert.True(FuzzRunner.Run(target, AccountsFuzzTarget.DualWrite, Engine, list.Operations).Passed);
    }

    /// <summary>
    /// Counterexamples of bugs the fuzzer found and that are fixed now: they must pass. (self-call steps took the
    /// chunk of the latest upgrade's settings instead of the migration's own, and overran the completion bound.)
    /// </summary>
    [Theory]
    [ReplayOperations("replays/fixed-self-call-chunk-after-resume.json")]
    public void A_saved_counterexample_of_a_fixed_bug_passes(FuzzOperationsJson.Document list) =>
        Assert.True(FuzzRunner.Run(AccountsFuzzTarget.Instance, list.Strategy, Engine, list.Operations).Passed, list.Failure);
}
