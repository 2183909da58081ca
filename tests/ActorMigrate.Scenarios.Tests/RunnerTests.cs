using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;
using ActorMigrate.Scenarios.Reports;
using ActorMigrate.Scenarios.Running;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>What the runner measures and whom events act on.</summary>
public sealed class RunnerTests
{
    private static ScenarioReport Run(string text) => ScenarioRunner.Run(ScenarioLoader.Load(text, "test.conf"));

    /// <summary>The same traffic the runner sends the (first) canister, replayed from the scenario's seed: the load, then one list per traffic round.</summary>
    private static (IReadOnlyList<TrafficCall> Load, List<IReadOnlyList<TrafficCall>> Rounds) Replay(Scenario scenario, int rounds)
    {
        var workload = new AccountWorkload(scenario.Seed, scenario.Data, scenario.Traffic);
        var load = workload.NextLoad(scenario.Data.Records);
        return (load, [.. Enumerable.Range(0, rounds).Select(_ => workload.NextRound())]);
    }

    private static int Writes(IEnumerable<IReadOnlyList<TrafficCall>> rounds) => rounds.Sum(r => r.Count(c => c.IsWrite));

    /// <summary>Writes that change the accounts: a remove of an absent principal changes no store.</summary>
    private static bool Changes(TrafficCall c) => c.IsWrite && (c.Op != TrafficOp.Remove || c.ExpectedReply);

    private static int Gets(IEnumerable<IReadOnlyList<TrafficCall>> rounds) => rounds.Sum(r => r.Count(c => !c.IsWrite));

    [Theory]
    [InlineData(ScenarioJournal.None)]
    [InlineData(ScenarioJournal.Memory)]
    public void Traffic_is_served_by_the_heap_before_the_migration_and_by_the_stable_map_after_it(ScenarioJournal journal)
    {
        var scenario = ScenarioLoader.Load("""
            scenario {
              canisters = [ { name = accounts, module = accounts-v2 } ]
              data { records = 200 }
              traffic { calls-per-round = 4, put = 1, overwrite = 1, remove = 1, get = 1 }
              script = [
                { wait-rounds = 20 }
                { upgrade = accounts-v3, migration { atomic = when-it-fits-else-fail-upgrade, triggers = none } }
                { wait-rounds = 20 }
              ]
            }
            """, "test.conf");
        var report = ScenarioRunner.Run(scenario, new RunOptions { Journal = journal });
        var (load, rounds) = Replay(scenario, 40);
        var (onV2, onV3) = (rounds[..20], rounds[20..]);
        var before = report.Samples.Last(s => s.Stage == "wait 20 rounds" && s.Canisters[0].Module == "accounts-v2");
        var after = report.Samples[^1];

        Assert.True(report.Passed, report.Failure);
        Assert.Equal("completed", after.Canisters[0].Phase);
        Assert.Equal(after.Canisters[0].Total, after.Canisters[0].Migrated);
        // v2 has no proxy: its heap served every call.
        Assert.Equal((Gets(onV2), load.Count + Writes(onV2), 0L, 0L), (before.HeapReads, before.HeapWrites, before.StableReads, before.StableWrites));
        // v3 after the switch: its proxy counted every write on the stable map alone, and every lookup but the
        // last round's (queries after a round are published with the next one, and none follows).
        Assert.Equal((before.HeapReads, before.HeapWrites), (after.HeapReads, after.HeapWrites));
        Assert.Equal(Writes(onV3), after.StableWrites);
        Assert.Equal(Gets(onV3[..^1]), after.StableReads);
        Assert.True(after.StableReads > 0);
    }

    [Theory]
    [InlineData(ScenarioJournal.None)]
    [InlineData(ScenarioJournal.Memory)]
    public void During_a_dual_write_migration_writes_at_or_below_the_pointer_go_to_both_stores(ScenarioJournal journal)
    {
        var scenario = ScenarioLoader.Load("""
            scenario {
              canisters = [ { name = accounts, module = accounts-v2 } ]
              data { records = 400 }
              traffic { calls-per-round = 6, put = 1, overwrite = 3, remove = 1, get = 1 }
              script = [
                { upgrade = accounts-v3, migration { step.chunk = 5 } }
                { wait-rounds = 40 }
              ]
            }
            """, "test.conf");
        var report = ScenarioRunner.Run(scenario, new RunOptions { Journal = journal });
        var (load, rounds) = Replay(scenario, 40);
        var traffic = report.Samples.Where(s => s.Stage == "wait 40 rounds").ToList();

        Assert.True(report.Passed, report.Failure);
        Assert.Equal(40, traffic.Count);
        Assert.All(traffic, s => Assert.Equal("migrating", s.Canisters[0].Phase));
        // The routing rule of docs/migration.md, applied by hand to each round's calls and the pointer after
        // it (steps run before a round's messages): the counters must agree with it.
        // A routed write counts for each store it changed, so a remove of an absent principal counts for none.
        var below = rounds.Select((calls, i) => calls.Count(c => Changes(c) && traffic[i].Canisters[0].Pointer is { } p && string.CompareOrdinal(c.Principal, p) <= 0)).Sum();
        var last = traffic[^1];
        Assert.Equal(0, last.StableReads); // dual-write reads from the source, the heap
        Assert.Equal(Gets(rounds[..^1]), last.HeapReads);
        Assert.Equal(load.Count + rounds.Sum(r => r.Count(Changes)), last.HeapWrites); // the source gets every write
        Assert.Equal(below, last.StableWrites); // and the target those at or below the pointer
        Assert.InRange(below, 1, Writes(rounds) - 1);
        Assert.All(traffic.Where(s => s.Canisters[0].Migrated > 0), s => Assert.NotNull(s.Canisters[0].Pointer));
        Assert.True(traffic.Max(s => s.LargestStepInstructions) > 0);
        Assert.True(report.Steps >= traffic.Count - 1);
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
                { upgrade = accounts-v3, canister = west, migration { step.chunk = 50 } }
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
