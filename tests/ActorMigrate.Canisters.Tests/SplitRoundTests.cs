using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

public sealed class SplitRoundTests
{
    /// <summary>Ticks <paramref name="subnet"/> through the split-round API, running canisters' steps in reverse order.</summary>
    private static void SplitTick(Subnet subnet)
    {
        var plan = subnet.BeginRound();
        var system = plan.WithSystemTasks.AsEnumerable().Reverse().Select(id => subnet.RunSystemTasks(plan, id)).ToList();
        subnet.BeginDeliveries(plan, system);
        var deliveries = plan.WithDeliveries.OrderByDescending(id => id).Select(id => subnet.RunDeliveries(plan, id)).ToList();
        subnet.EndRound(plan, deliveries);
    }

    private static (ulong Hash, long Count, List<byte[]> Images) Run(bool split)
    {
        var ic = new EngineHarness(new SubnetSettings { Seed = 5 });
        var a = ic.CreateAndInstall(new CounterModule());
        var b = ic.CreateAndInstall(new HeartbeatModule());
        var c = ic.CreateAndInstall(new CounterModule());
        var subnet = ic.Subnet;
        void Tick()
        {
            if (split)
            {
                SplitTick(subnet);
            }
            else
            {
                subnet.Tick();
            }
        }

        for (var i = 0; i < 30; i++)
        {
            subnet.SubmitIngress(i % 2 == 0 ? a : c, "inc", null, ic.Controller);
            subnet.SubmitIngress(a, "write_stable", ((ulong)(i * 5000), 3000), ic.Controller);
            subnet.SubmitIngress(c, "set_timer", (long)(i % 3), ic.Controller);
            subnet.SubmitIngress(c, "inc_then_trap", null, ic.Controller);
            if (i % 5 == 0)
            {
                subnet.AdvanceTime(TimeSpan.FromMilliseconds(2));
            }

            Tick();
        }

        for (var i = 0; i < 5; i++)
        {
            Tick();
        }

        _ = b;
        return (subnet.Trace.Hash, subnet.Trace.Count, [.. subnet.Canisters.Select(x => ActorMigrate.StableMemory.MemoryExtensions.ToArray(x.StableMemory))]);
    }

    [Fact]
    public void A_round_split_into_per_canister_steps_in_any_canister_order_equals_Tick()
    {
        var ticked = Run(split: false);
        var split = Run(split: true);

        Assert.Equal(ticked.Count, split.Count);
        Assert.Equal(ticked.Hash, split.Hash);
        Assert.Equal(ticked.Images, split.Images);
    }
}
