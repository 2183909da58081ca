using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Reports;
using ActorMigrate.Scenarios.Running;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>What the runner measures and whom events act on.</summary>
public sealed class RunnerTests
{
    private static ScenarioReport Run(string text) => ScenarioRunner.Run(ScenarioLoader.Load(text, "test.conf"));

    [Fact]
    public void Traffic_is_served_by_the_heap_before_the_migration_and_by_the_stable_map_after_it()
    {
        var report = Run("""
            scenario {
              journal = none
              canisters = [ { name = accounts, module = accounts-v2 } ]
              data { records = 200 }
              traffic { calls-per-round = 4, put = 1, overwrite = 1, remove = 1, get = 1 }
              script = [
                { wait-rounds = 20 }
                { upgrade = accounts-v3, migration { atomic = when-it-fits-else-fail-upgrade, triggers = none } }
                { wait-rounds = 20 }
              ]
            }
            """);
        var before = report.Samples.Last(s => s.Stage == "wait 20 rounds" && s.Canisters[0].Module == "accounts-v2");
        var after = report.Samples[^1];

        Assert.True(report.Passed, report.Failure);
        Assert.Equal((0L, 0L), (before.StableReads, before.StableWrites));
        Assert.True(before.HeapReads > 0 && before.HeapWrites > 200);
        Assert.Equal((before.HeapReads, before.HeapWrites), (after.HeapReads, after.HeapWrites));
        Assert.True(after.StableReads > 0 && after.StableWrites > 0);
        Assert.Equal(20 * 4, after.StableReads + after.StableWrites + (after.HeapReads - before.HeapReads));
        Assert.Equal("completed", after.Canisters[0].Phase);
        Assert.Equal(after.Canisters[0].Total, after.Canisters[0].Migrated);
    }

    [Fact]
    public void During_a_dual_write_migration_writes_at_or_below_the_pointer_go_to_both_stores()
    {
        var report = Run("""
            scenario {
              journal = none
              canisters = [ { name = accounts, module = accounts-v2 } ]
              data { records = 400 }
              traffic { calls-per-round = 6, put = 1, overwrite = 3, remove = 1, get = 1 }
              script = [
                { upgrade = accounts-v3, migration { chunk = 5 } }
                { wait-rounds = 40 }
              ]
            }
            """);
        var migrating = report.Samples.Where(s => s.Canisters[0].Phase == "migrating").ToList();

        Assert.True(report.Passed, report.Failure);
        Assert.True(migrating.Count >= 30);
        Assert.Equal(0, migrating[^1].StableReads); // dual-write reads from the source, the heap
        Assert.True(migrating[^1].StableWrites > 0, "no write landed at or below the pointer");
        Assert.True(migrating[^1].StableWrites < migrating[^1].HeapWrites);
        Assert.All(migrating.Where(s => s.Canisters[0].Migrated > 0), s => Assert.NotNull(s.Canisters[0].Pointer));
        Assert.True(migrating.Max(s => s.LargestStepInstructions) > 0);
        Assert.True(report.Steps >= migrating.Count - 1);
    }

    [Fact]
    public void An_event_naming_one_canister_acts_on_it_alone_and_each_canister_has_its_own_model()
    {
        var report = Run("""
            scenario {
              journal = none
              canisters = [
                { name = east, module = accounts-v2 }
                { name = west, module = accounts-v2 }
              ]
              data { records = 100 }
              traffic { calls-per-round = 2 }
              script = [
                { upgrade = accounts-v3, canister = west, migration { chunk = 50 } }
                { wait-until-phase = completed, canister = west, max-rounds = 50 }
                { wait-rounds = 5 }
              ]
            }
            """);
        var last = report.Samples[^1].Canisters;

        Assert.True(report.Passed, report.Failure);
        Assert.Equal(("east", "accounts-v2"), (last[0].Canister, last[0].Module));
        Assert.Equal(("west", "accounts-v3", "completed"), (last[1].Canister, last[1].Module, last[1].Phase));
        Assert.Equal("west", report.Events[0].Canister);
        Assert.NotEqual(report.Samples[0].Canisters[0].HeapBytes, report.Samples[0].Canisters[1].HeapBytes); // different accounts
        Assert.True(report.RecordsChecked >= 200);
    }
}
