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
}
