using ActorMigrate.Canisters;
using ActorMigrate.Migration.Planning;
using ActorMigrate.Testing;

namespace ActorMigrate.Migration.Tests;

public sealed class PlannerTests
{
    private const int Records = 1_200;
    private const int RecordBytes = 200;

    private static void AssertWithin(double expected, double actual, double share, string what) =>
        Assert.True(Math.Abs(actual - expected) <= expected * share, $"{what}: planned {expected:N0}, measured {actual:N0}");

    [Fact]
    public void The_plan_from_a_small_sample_predicts_a_real_metered_run_four_times_its_size()
    {
        var settings = SubnetSettings.Default;
        var plan = MigrationPlanner.Plan(settings, Records, RecordBytes, RecordBytes, fixedChunk: 20, costs: MigrationPlanner.Measure(settings, RecordBytes, sample: 300));

        // The real run: the same canister code with four times the records.
        var ic = new EngineHarness(settings);
        var atomic = ic.CreateAndInstall(new PlanProbeModule());
        var incremental = ic.CreateAndInstall(new PlanProbeModule());
        foreach (var id in new[] { atomic, incremental })
        {
            for (var from = 0; from < Records; from += 400)
            {
                ic.Update<bool>(id, "fill", ((ulong)from * 2, 400, RecordBytes - 8));
            }
        }

        ic.Upgrade(atomic, new PlanProbeModule(), MigrationDirection.HeapToStable);
        AssertWithin(plan.AtomicInstructions, ic.Report(atomic).LastInstructionsUsed, 0.25, "atomic upgrade instructions");
        AssertWithin(plan.StableBytesNeeded, ic.Report(atomic).StableMemoryBytes, 0.35, "stable memory");

        ic.Update<bool>(incremental, "start", MigrationDirection.HeapToStable);
        var steps = new List<long>();
        while (ic.Query<MigrationState>(incremental, "state").Phase == MigrationPhase.Migrating)
        {
            ic.Update<StepReport>(incremental, "step", 20);
            steps.Add(ic.Report(incremental).LastInstructionsUsed);
        }

        Assert.Equal(MigrationPhase.Completed, ic.Query<MigrationState>(incremental, "state").Phase);
        Assert.Equal(plan.FixedSteps, steps.Count);
        AssertWithin(plan.FixedStepInstructions, steps.Take(steps.Count - 1).Average(), 0.25, "instructions per 20-record step");
    }
}
