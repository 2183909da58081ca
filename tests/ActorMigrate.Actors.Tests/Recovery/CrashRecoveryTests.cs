using System.Diagnostics;
using Xunit.Abstractions;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// Kills a process running a durable subnet on a SQLite file with SIGKILL at random moments and
/// restarts it on the same file (tests/ActorMigrate.CrashHost). After each restart every canister must
/// be at its last durable round: nothing acknowledged lost, at most the one unacknowledged deposit
/// kept, and module, canister_version, heap, stable memory and timers agreeing (no torn round, no
/// stale heap image, no lost timer).
/// Every other process writes a checkpoint every 4 rounds of a canister (then compacts the journal), so
/// kills also land inside checkpoint writes and compaction, and recovery starts from a checkpoint plus
/// the heap deltas after it; the others use hocon's interval (recovery replays rounds).
/// Kills: 20, or ACTORMIGRATE_CRASH_KILLS.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public void A_subnet_killed_with_SIGKILL_at_random_moments_comes_back_at_its_last_durable_round_and_continues()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("ACTORMIGRATE_CRASH_KILLS"), out var n) ? n : 20;
        var database = Path.Combine(Path.GetTempPath(), $"actormigrate-crash-{Guid.NewGuid():N}.db");
        var random = new Random(20261126);
        var acknowledged = new Dictionary<string, ulong>();
        try
        {
            for (var run = 0; run <= kills; run++)
            {
                var last = run == kills;
                var killAfterAcks = last ? 5 : random.Next(0, 40);
                var killDuringRecovery = !last && run > 0 && random.Next(5) == 0;
                var checkpointRounds = run % 2 == 0 ? 4 : (int?)null;
                var acks = RunHost(database, seed: run, checkpointRounds, killAfterAcks, killDuringRecovery ? random.Next(100, 1500) : null, acknowledged, random);
                output.WriteLine($"run {run}: {acks} acknowledged deposits before the kill");
                if (last)
                {
                    Assert.True(acks >= 5, "the last recovered subnet must go on serving deposits");
                }
            }

            Assert.Equal(3, acknowledged.Count);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Runs the host until <paramref name="killAfterAcks"/> acknowledgements (or a delay), then kills it; returns the acks seen.</summary>
    private static int RunHost(string database, int seed, int? checkpointRounds, int killAfterAcks, int? killAfterMs, Dictionary<string, ulong> acknowledged, Random random)
    {
        string[] arguments = checkpointRounds is { } every
            ? [HostPath(), database, seed.ToString(), "3", every.ToString()]
            : [HostPath(), database, seed.ToString(), "3"];
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var host = Process.Start(start)!;
        host.ErrorDataReceived += (_, _) => { };
        host.BeginErrorReadLine();
        var acks = 0;
        var ready = false;
        var recovered = new HashSet<string>();
        using var enoughAcks = new ManualResetEventSlim();
        var reading = Task.Run(() =>
        {
            while (host.StandardOutput.ReadLine() is { } line)
            {
                var parts = line.Split(' ');
                switch (parts[0])
                {
                    case "STATE":
                        CheckRecovered(parts, acknowledged);
                        recovered.Add(parts[1]);
                        break;
                    case "READY":
                        Assert.True(recovered.SetEquals(acknowledged.Keys.Where(k => acknowledged[k] > 0)) || recovered.IsSupersetOf(acknowledged.Keys.Where(k => acknowledged[k] > 0)),
                            $"canisters with acknowledged deposits are missing after recovery: {string.Join(", ", acknowledged.Keys.Except(recovered))}");
                        ready = true;
                        break;
                    case "ACK" when parts.Length == 3 && ulong.TryParse(parts[2], out var count): // the kill may cut the last line
                        // Read to the end even after the kill: every ACK the host printed was an acknowledged deposit.
                        acknowledged[parts[1]] = Math.Max(acknowledged.GetValueOrDefault(parts[1]), count);
                        if (++acks >= killAfterAcks)
                        {
                            enoughAcks.Set();
                        }

                        break;
                }
            }
        });
        try
        {
            WaitForTheKill(enoughAcks, killAfterAcks, killAfterMs, random, () => acks);
        }
        finally
        {
            host.Kill(entireProcessTree: true); // SIGKILL on Unix; also when an assertion failed first
            host.WaitForExit();
        }

        Assert.True(reading.Wait(TimeSpan.FromSeconds(10)), "the host's output did not end after the kill");
        reading.GetAwaiter().GetResult(); // an assertion failed while reading
        Assert.True(killAfterMs is not null || ready, "the host never became ready");
        return acks;
    }

    private static void WaitForTheKill(ManualResetEventSlim enoughAcks, int killAfterAcks, int? killAfterMs, Random random, Func<int> acks)
    {
        if (killAfterMs is { } ms)
        {
            Thread.Sleep(ms);
        }
        else
        {
            Assert.True(enoughAcks.Wait(TimeSpan.FromSeconds(60)) || killAfterAcks == 0, $"the host produced {acks()} of {killAfterAcks} acknowledgements within 60 s");
            Thread.Sleep(random.Next(0, 20)); // land the kill anywhere in the next round
        }
    }

    /// <summary>STATE canister module version count sum ticks heap-count heap-sum heap-ticks timers: consistent, and at the last durable round.</summary>
    private static void CheckRecovered(string[] state, Dictionary<string, ulong> acknowledged)
    {
        var (canister, module, version, count, sum, ticks) = (state[1], state[2], ulong.Parse(state[3]), ulong.Parse(state[4]), ulong.Parse(state[5]), ulong.Parse(state[6]));
        var (heapCount, heapSum, heapTicks, timers) = (ulong.Parse(state[7]), ulong.Parse(state[8]), ulong.Parse(state[9]), int.Parse(state[10]));
        Assert.True(sum == count, $"{canister}: balances sum to {sum} but the deposit count is {count}: a torn round");
        if (module != "none")
        {
            Assert.Equal("tally_v1", module);
            Assert.True(heapCount == count && heapSum == count,
                $"{canister}: the heap holds {heapCount} deposits in buckets summing to {heapSum}, stable memory {count}: heap and stable memory disagree");
            Assert.True(heapTicks == ticks, $"{canister}: the heap counted {heapTicks} timer ticks, stable memory {ticks}");
            Assert.True(timers == 1, $"{canister}: {timers} timers after recovery; its interval timer must be back");
            Assert.True(version == 1 + count + ticks,
                $"{canister}: canister_version {version} disagrees with {count} deposits and {ticks} ticks (expected {1 + count + ticks})");
        }

        var acked = acknowledged.GetValueOrDefault(canister);
        Assert.True(count >= acked, $"{canister}: {acked} deposits were acknowledged but only {count} recovered");
        Assert.True(count <= acked + 1, $"{canister}: {count} deposits recovered but only {acked} acknowledged (at most one was in flight)");
        acknowledged[canister] = count;
    }

    private static string HostPath()
    {
        // tests/ActorMigrate.Actors.Tests/bin/<configuration>/<tfm>/ → tests/ActorMigrate.CrashHost/bin/<configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "ActorMigrate.CrashHost", "bin", configuration, tfm, "ActorMigrate.CrashHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the crash host is not built at {path}", path);
    }
}
