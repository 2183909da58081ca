using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class RoundTests
{
    [Fact]
    public void The_heartbeat_runs_exactly_once_per_round()
    {
        var (ic, id) = Fixture.Installed(new HeartbeatModule());
        var before = ic.Query<ulong>(id, "beats");

        ic.Tick(5);

        Assert.Equal(before + 5, ic.Query<ulong>(id, "beats"));
    }

    [Fact]
    public void The_executions_after_a_round_are_those_of_later_rounds_only()
    {
        var (ic, id) = Fixture.Installed(new HeartbeatModule());
        ic.Tick(5);
        var cut = ic.Round - 2;

        var later = ic.Executions(id, afterRound: cut);

        Assert.Equal([.. ic.Executions(id).Where(e => e.Round > cut)], later);
        Assert.Equal(2, later.Count(e => e.Kind == ExecutionKind.Heartbeat));
        Assert.Empty(ic.Executions(id, afterRound: ic.Round));
        Assert.Contains(ic.Executions(id), e => e.Kind == ExecutionKind.Init); // without a round: every record held
    }

    [Fact]
    public void A_timer_fires_once_when_due_and_time_moves_only_when_advanced()
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "set_timer", 1_000L);

        ic.Tick(10);
        Assert.Equal(0UL, ic.Query<ulong>(id, "timer_fired"));

        ic.AdvanceTime(TimeSpan.FromSeconds(1));
        ic.Tick(3);
        Assert.Equal(1UL, ic.Query<ulong>(id, "timer_fired"));
        Assert.Single(ic.Executions(id), e => e.Kind == ExecutionKind.Timer);
    }

    [Fact]
    public void The_global_timer_fires_once_when_due()
    {
        var (ic, id) = Fixture.Installed(new HeartbeatModule());
        ic.Update<ulong>(id, "set_global_timer", ic.TimeNanos + 5_000);

        ic.Tick(2);
        Assert.Equal(0UL, ic.Query<ulong>(id, "global_timers"));
        ic.AdvanceTime(TimeSpan.FromTicks(50));
        ic.Tick(3);

        Assert.Equal(1UL, ic.Query<ulong>(id, "global_timers"));
        Assert.Equal(0UL, ic.Subnet[id].GlobalTimerNanos);
    }

    [Fact]
    public void The_same_seed_and_script_give_the_same_trace_hash_and_another_seed_another()
    {
        static ulong Run(ulong seed)
        {
            var ic = new EngineHarness(new SubnetSettings { Seed = seed });
            var a = ic.CreateAndInstall(new CounterModule());
            var b = ic.CreateAndInstall(new HeartbeatModule());
            ic.Update<ulong>(a, "inc");
            ic.Update<ulong>(a, "set_timer", 5L);
            ic.AdvanceTime(TimeSpan.FromSeconds(1));
            ic.TryUpdate(a, "inc_then_trap");
            ic.Update<bool>(a, "put", (2002UL, 1));
            ic.Update<string>(a, "run_steps", 3);
            ic.Upgrade(a, new CounterModule(2));
            ic.Tick(4);
            ic.Update<ulong>(b, "set_global_timer", 1UL);
            ic.Tick();
            return ic.TraceHash;
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }
}
