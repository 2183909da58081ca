using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Testing;
using Akka.Configuration;

namespace ActorMigrate.Actors.Tests;

/// <summary>actormigrate.subnet.real-time-rounds: an idle subnet runs rounds by itself only when switched on.</summary>
public sealed class RealTimeRoundsTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void With_real_time_rounds_on_an_idle_subnet_runs_heartbeats_and_moves_its_clock_without_a_driver()
    {
        var settings = SubnetActorSettings.Volatile() with { RealTimeRoundInterval = TimeSpan.FromMilliseconds(50) };
        using var ic = new ActorHarness(settings, Sys, "real-time", new ModuleRegistry(new LedgerModule()));
        var id = ic.CreateAndInstall(new LedgerModule());
        ic.Update<bool>(id, "beat", true);
        var (round, time) = (ic.Round, ic.TimeNanos);

        // Polled every 20 ms: without an interval TestKit waits a tenth of the timeout (2 s) between checks.
        AwaitCondition(() => ic.Query<ulong>(id, "beats", null) >= 5, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(20));

        Assert.True(ic.Round >= round + 5, $"round {ic.Round} after {round}");
        Assert.True(ic.TimeNanos > time, "the virtual clock must follow real time");
    }

    [Fact]
    public void By_default_an_idle_subnet_runs_no_round_until_driven()
    {
        using var ic = new ActorHarness(SubnetActorSettings.Volatile(), Sys, "driven", new ModuleRegistry(new LedgerModule()));
        var id = ic.CreateAndInstall(new LedgerModule());
        ic.Update<bool>(id, "beat", true);
        var (round, beats) = (ic.Round, ic.Query<ulong>(id, "beats", null));

        Thread.Sleep(300);

        Assert.Equal((round, beats), (ic.Round, ic.Query<ulong>(id, "beats", null)));
        ic.Tick(2);
        Assert.Equal(beats + 2, ic.Query<ulong>(id, "beats", null));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("actormigrate.subnet { real-time-rounds = on, real-time-round-interval = 250ms }", 250)]
    [InlineData("actormigrate.subnet { real-time-rounds = on }", 1000)]
    public void The_hocon_switch_sets_the_real_time_round_interval(string hocon, int? milliseconds)
    {
        var config = ConfigurationFactory.ParseString(hocon + "\nactormigrate.subnet.durable = off").WithFallback(ActorMigrateActors.DefaultConfig);

        var settings = SubnetActorSettings.FromConfig(config);

        Assert.Equal(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, settings.RealTimeRoundInterval);
    }
}
