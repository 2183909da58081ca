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

    /// <summary>
    /// Found by the crash property on the actors (FsCheck replay (7340617017692624048,17688274613548288565,67),
    /// shrunk to <c>stop; crash</c>): a stop was answered before it was journaled, so the crash brought the
    /// canister back running with its canister_version gone back. Management operations are durable before
    /// they are answered now.
    /// </summary>
    [Theory]
    [ReplayOperations("replays/fixed-actors-stop-lost-in-crash.json")]
    public void A_saved_counterexample_of_a_fixed_actor_bug_passes_on_the_actors(FuzzOperationsJson.Document list) =>
        Assert.True(FuzzRunner.Run(AccountsFuzzTarget.Instance, list.Strategy,
            () => new ActorFuzzHost(AccountsFuzzTarget.Instance.Subnet, MachineProperties.Modules(list.Strategy)), list.Operations).Passed, list.Failure);
}
