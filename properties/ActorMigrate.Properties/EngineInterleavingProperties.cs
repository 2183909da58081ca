using ActorMigrate.Examples.Accounts.Fuzzing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Properties;

/// <summary>
/// The interleaving properties of issue #8 over the accounts example on the bare engine: any sequence of
/// at least 50 operations with at least two lifecycle events keeps every invariant (FuzzRunner) for every
/// correct strategy. A failure shrinks (FsCheck, with <see cref="Shrinking.Sequence"/>) and prints the
/// operations.
/// </summary>
public sealed class EngineInterleavingProperties
{
    private static readonly AccountsFuzzTarget Target = AccountsFuzzTarget.Instance;

    private static Property Holds(string strategy) =>
        Prop.ForAll(Arb.From(FuzzGenerators.Sequence(Target), Shrinking.Sequence), operations =>
        {
            var result = FuzzRunner.Run(Target, strategy, () => new EngineFuzzHost(Target.Subnet), operations);
            return result.Passed.Label($"{result.Failure} (after operation {result.FailedAt})\n{FuzzCampaign.Format(operations)}");
        });

    [Property(MaxTest = 12)]
    public Property Any_interleaving_of_upgrades_downgrades_faults_and_traffic_keeps_every_invariant_with_dual_write() => Holds(AccountsFuzzTarget.DualWrite);

    [Property(MaxTest = 12)]
    public Property Any_interleaving_keeps_every_invariant_with_pointer_routed_migration() => Holds(AccountsFuzzTarget.PointerRouted);

    [Property(MaxTest = 12)]
    public Property Any_interleaving_keeps_every_invariant_with_budget_driven_steps() => Holds(AccountsFuzzTarget.BudgetDriven);

    [Property(MaxTest = 12)]
    public Property Any_interleaving_keeps_every_invariant_with_self_call_steps() => Holds(AccountsFuzzTarget.SelfCall);

    [Fact]
    public void Generated_sequences_have_at_least_50_operations_and_2_lifecycle_events()
    {
        foreach (var operations in FuzzGenerators.Sequence(Target).Sample(200))
        {
            Assert.True(operations.Length >= 50, $"{operations.Length} operations");
            Assert.True(operations.Count(o => o.IsLifecycle) >= 2, $"{operations.Count(o => o.IsLifecycle)} lifecycle events");
        }
    }
}
