using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;
using static Accounts.Tests.Scenario;

namespace Accounts.Tests;

public sealed class StepEndpointTests
{
    [Fact]
    public void A_stranger_calling_step_migration_is_refused_and_the_pointer_stays()
    {
        var (ic, id, _) = V1WithAccounts(100);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.None });
        var before = State(ic, id);

        var result = ic.TryUpdate(id, "step_migration", 10, sender: new Principal("stranger"));

        Assert.Equal(ErrorCode.CanisterCalledTrap, result.Reject!.Code);
        Assert.Contains("neither the canister", result.Reject.Message);
        Assert.Equal(before.MigratedCount, State(ic, id).MigratedCount);
        Assert.Equal(10, ic.Update<StepReport>(id, "step_migration", 10).Records); // a controller may
    }

    [Fact]
    public void A_timer_driven_migration_completes_without_heartbeats()
    {
        var (ic, id, traffic) = V1WithAccounts(120);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.Timer, Sizing = StepSizing.Fixed(10), TimerInterval = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 30 && State(ic, id).Phase == MigrationPhase.Migrating; i++)
        {
            ic.AdvanceTime(TimeSpan.FromSeconds(1));
            ic.Tick();
        }

        Assert.Equal(MigrationPhase.Completed, State(ic, id).Phase);
        traffic.AssertSame(ic, id);
    }

    [Fact]
    public void A_trapping_step_in_a_self_call_rolls_back_only_itself_and_is_retried_smaller()
    {
        // A step of 64 records passes this subnet's update limit; the heartbeat's self-calls halve until one fits.
        var settings = new SubnetSettings { Limits = new() { MaxInstructionsPerUpdate = 4_000_000 } };
        var (ic, id, traffic) = V1WithAccounts(200, settings: settings);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.Heartbeat | MigrationTriggers.SelfCall, Sizing = StepSizing.Fixed(400) });
        var tooBig = ic.TryUpdate(id, "step_migration", 400);
        Assert.True(tooBig.Reject is not null, $"a 400-record step fit: {ic.Report(id).LastInstructionsUsed} instructions");
        Assert.Equal(ErrorCode.CanisterInstructionLimitExceeded, tooBig.Reject!.Code);
        Assert.Equal(0UL, State(ic, id).MigratedCount);

        TickUntil(ic, id, MigrationPhase.Completed, maxRounds: 2_000);

        var state = State(ic, id);
        Assert.True(state.LargestStepInstructions <= settings.Limits.MaxInstructionsPerUpdate);
        Assert.True(ic.Report(id).Traps > 0, "no step trapped: the test did not exercise the retry");
        traffic.AssertSame(ic, id);
    }

    [Fact]
    public void A_budget_driven_step_stays_within_its_share_of_a_slice()
    {
        var settings = new SubnetSettings { Limits = new() { MaxInstructionsPerSlice = 20_000_000 } };
        var (ic, id, traffic) = V1WithAccounts(200, settings: settings);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.Heartbeat, Sizing = StepSizing.Budget(500) });

        TickUntil(ic, id, MigrationPhase.Completed);

        var state = State(ic, id);
        Assert.True(state.Steps > 1, "one step moved everything: the budget did not bind");
        Assert.True(state.LargestStepInstructions <= settings.Limits.MaxInstructionsPerSlice / 2, $"largest step {state.LargestStepInstructions}");
        traffic.AssertSame(ic, id);
    }

    [Fact]
    public void On_low_wasm_memory_runs_a_migration_step()
    {
        var (ic, id, traffic) = V1WithAccounts(150);
        ic.Upgrade(id, new AccountsV2());
        ic.Upgrade(id, new AccountsV3(), new MigrationSettings { Triggers = MigrationTriggers.LowWasmMemory });
        ic.Tick(3);
        Assert.Equal(0UL, State(ic, id).MigratedCount);

        var heap = ic.Report(id).HeapBytes;
        Assert.Null(ic.Subnet.UpdateSettings(id, ic.Controller, wasmMemoryLimitBytes: heap + 200_000, wasmMemoryThresholdBytes: 250_000));
        traffic.Run(ic, id, 5);
        ic.Tick(3);

        Assert.True(State(ic, id).MigratedCount > 0, "on_low_wasm_memory did not step the migration");
        traffic.AssertSame(ic, id);
    }
}
