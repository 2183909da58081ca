using System.Security.Cryptography;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Actor;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// A durable subnet stopped and recovered (in one ActorSystem, on the in-memory journal) brings back
/// what module code left: heap (from the heap image, through a checkpoint), timers (their callbacks
/// bound again) and open call contexts (answered as lost, so no caller hangs).
/// </summary>
public sealed class ModuleStateRecoveryTests() : Akka.TestKit.Xunit2.TestKit(ActorMigratePersistence.Config(PersistenceJournal.InMemory))
{
    private SubnetActorSettings Durable(int checkpointEvery) => CheckpointingSubnet.Every(Sys.Settings.Config, checkpointEvery);

    /// <summary>Module, heap, stable memory, timers and call contexts of a canister, as one comparable string.</summary>
    internal static string Fingerprint(Canisters.Subnet subnet, Principal id)
    {
        var c = subnet[id];
        return string.Join("|",
            c.Module, c.Version, c.Status,
            Convert.ToHexString(c.Heap.Digest()), c.Heap.SizeBytes, c.Heap.LiveBytes,
            Convert.ToHexString(SHA256.HashData(ActorMigrate.StableMemory.MemoryExtensions.ToArray(c.StableMemory))),
            string.Join(",", c.TimerTable.Values.Select(t => $"{t.Id}@{t.DueNanos}/{t.IntervalNanos}")),
            c.NextTimerId, c.GlobalTimerNanos, c.OpenCallContexts);
    }

    private void Stop(ActorHarness harness)
    {
        Watch(harness.Subnet);
        harness.Dispose();
        ExpectTerminated(harness.Subnet);
    }

    [Theory]
    [InlineData(0)] // rounds only: the heap image of the last round that changed it
    [InlineData(3)] // a checkpoint every 3 rounds: its image, then the rounds after it
    public void A_recovered_canister_has_the_heap_and_timers_of_its_last_durable_round_and_goes_on_like_one_never_stopped(int checkpointEvery)
    {
        var modules = new ModuleRegistry(new LedgerModule());
        var reference = new ActorHarness(SubnetActorSettings.Volatile(), Sys, "reference-" + checkpointEvery, modules);
        var crashing = new ActorHarness(Durable(checkpointEvery), Sys, "durable-" + checkpointEvery, modules);
        var script = new List<Action<ActorHarness, Principal>>
        {
            (ic, id) => ic.Update<bool>(id, "beat", true), // a heap counter that every round's heartbeat moves
            (ic, id) => ic.Update<ulong>(id, "deposit_later", (500L, 3UL)),
            (ic, id) => ic.Update<ulong>(id, "deposit_later", (2_500L, 4UL)),
            (ic, id) => ic.Update<ulong>(id, "deposit_later", (6_000L, 3UL)),
            (ic, id) => ic.Update<ulong>(id, "deposit", (9UL, 40UL)),
            (ic, _) => ic.Tick(4),
            (ic, _) => ic.AdvanceTime(TimeSpan.FromSeconds(1)),
            (ic, _) => ic.Tick(2), // the first timer fired
        };
        var a = reference.CreateAndInstall(new LedgerModule());
        var b = crashing.CreateAndInstall(new LedgerModule());
        Assert.Equal(a, b);
        foreach (var step in script)
        {
            step(reference, a);
            step(crashing, b);
        }

        var expected = reference.Read(s => Fingerprint(s, a));
        Assert.Equal(expected, crashing.Read(s => Fingerprint(s, b)));
        Assert.Equal(["DepositDue", "DepositDue"], crashing.Read(s => s[b].TimerTable.Values.Select(t => t.Recoverable!.Method).ToList()));
        Stop(crashing);

        var recovered = new ActorHarness(Durable(checkpointEvery), Sys, "durable-" + checkpointEvery, modules);
        Assert.Equal(expected, recovered.Read(s => Fingerprint(s, b)));
        Assert.Equal(reference.Read(s => s[a].Metrics.Totals), recovered.Read(s => s[b].Metrics.Totals));

        foreach (var step in new List<Action<ActorHarness>>
        {
            ic => ic.AdvanceTime(TimeSpan.FromSeconds(10)),
            ic => ic.Tick(3), // both timers fire on the recovered canister too
            ic => ic.Update<ulong>(a, "deposit", (3UL, 1UL)),
        })
        {
            step(reference);
            step(recovered);
        }

        Assert.Equal(reference.Read(s => Fingerprint(s, a)), recovered.Read(s => Fingerprint(s, b)));
        Assert.Equal(reference.Read(s => s[a].Metrics.Totals), recovered.Read(s => s[b].Metrics.Totals));
        Assert.Equal(3UL, recovered.Query<ulong>(b, "balance", 3UL)); // two timer deposits + one call
        Assert.Equal(reference.Query<ulong>(a, "beats", null), recovered.Query<ulong>(b, "beats", null));
        reference.Dispose();
        recovered.Dispose();
    }

    [Fact]
    public void Calls_open_when_the_host_stopped_are_rejected_after_recovery_and_every_call_context_closes()
    {
        var modules = new ModuleRegistry(new SpinModule());
        var settings = Durable(0);
        var crashing = new ActorHarness(settings, Sys, "spinning", modules);
        var recoverable = crashing.CreateAndInstall(new SpinModule());
        var closures = crashing.CreateAndInstall(new SpinModule());
        crashing.Subnet.Tell(new UpdateCall(recoverable, "spin", null, crashing.Controller)); // never answered: it spins
        crashing.Subnet.Tell(new UpdateCall(closures, "spin_closure", 0UL, crashing.Controller));
        // Polled every 20 ms: without an interval TestKit waits a tenth of the timeout (3 s) between checks.
        AwaitCondition(() => crashing.Read(s => s[recoverable].OpenCallContexts >= 3 && s[closures].OpenCallContexts >= 3), TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20));
        Stop(crashing);

        var recovered = new ActorHarness(settings, Sys, "spinning", modules);
        recovered.Tick(3);

        var (open, lostSeen, openClosures) = recovered.Read(s => (s[recoverable].OpenCallContexts, SpinModule.LostSeen(s, recoverable), s[closures].OpenCallContexts));
        Assert.Equal((0, 0), (open, openClosures));
        Assert.True(lostSeen >= 3, $"the recoverable continuations saw {lostSeen} IC0900 rejects; at least 3 calls were open");
        var lost = recovered.Executions(closures).Where(e => e.Error?.Code == ErrorCode.CallLostInCrash).ToList();
        Assert.NotEmpty(lost);
        Assert.All(lost, e => Assert.Contains("lost the continuation", e.Error!.Message));
        recovered.Dispose();
    }
}
