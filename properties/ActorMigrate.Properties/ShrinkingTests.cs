using ActorMigrate.Examples.Accounts.Fuzzing;
using ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

namespace ActorMigrate.Properties;

public sealed class ShrinkingTests
{
    private static readonly AccountsFuzzTarget Target = AccountsFuzzTarget.Instance;

    private static FuzzHost Engine() => new EngineFuzzHost(Target.Subnet);

    [Fact]
    public void A_failing_sequence_of_a_known_bad_target_shrinks_to_a_short_one_that_still_fails_and_the_correct_module_passes()
    {
        var found = FuzzCampaign.Run(Target, AccountsMutants.V2WrongBlobMemory, Engine, seed: 1, budget: 60);
        Assert.NotNull(found.FailingSequence);
        Assert.True(found.FailingSequence!.Count >= 50);

        var (shrunk, result) = FuzzCampaign.Shrink(Target, AccountsMutants.V2WrongBlobMemory, Engine, found.FailingSequence);

        Assert.False(result.Passed);
        Assert.True(shrunk.Count <= 6, $"shrunk to {shrunk.Count} operations:\n{FuzzCampaign.Format(shrunk)}");
        Assert.Contains(shrunk, op => op is UpgradeOp { Version: 2 });
        Assert.True(FuzzRunner.Run(Target, AccountsFuzzTarget.DualWrite, Engine, shrunk).Passed, "the correct modules fail the shrunk sequence too");
    }

    [Fact]
    public void An_operation_list_written_as_JSON_reads_back_as_the_same_operations()
    {
        var operations = FuzzGenerators.Sample(Target, 7);
        var json = FuzzOperationsJson.Write(new FuzzOperationsJson.Document(Target.Name, AccountsFuzzTarget.DualWrite, 7, null, operations));

        var read = FuzzOperationsJson.Read(json, Target);

        Assert.Equal(operations.Length, read.Operations.Count);
        for (var i = 0; i < operations.Length; i++)
        {
            Assert.Equal(operations[i].ToString(), read.Operations[i].ToString());
            if (operations[i] is PutOp put)
            {
                Assert.True(Target.SameValue(put.Value, ((PutOp)read.Operations[i]).Value), $"operation {i}: the value changed in JSON");
            }
        }

        Assert.Equal(FuzzRunner.Run(Target, AccountsFuzzTarget.DualWrite, Engine, operations).Events,
            FuzzRunner.Run(Target, AccountsFuzzTarget.DualWrite, Engine, read.Operations).Events);
    }
}
