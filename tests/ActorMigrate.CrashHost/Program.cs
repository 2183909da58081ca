using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.CrashHost;
using ActorMigrate.Testing;
using Akka.Actor;

// The crash test's child process: a durable subnet on a SQLite file, recovered at start, then
// endless deposits, with the virtual clock advanced now and then so the canisters' timers fire.
// Protocol on stdout (one line each, flushed):
//   STATE <canister> <module> <canister_version> <deposit count> <balance sum> <stable ticks>
//         <heap count> <heap bucket sum> <heap ticks> <timers>                  after recovery
//   READY                                                                          traffic starts
//   ACK <canister> <count>                                                         a deposit was answered
// Usage: ActorMigrate.CrashHost <sqlite file> <seed> <canisters> [checkpoint every N rounds]
// (a small N puts kills inside checkpoints and the compaction that follows them).
if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: ActorMigrate.CrashHost <sqlite file> <seed> <canisters> [checkpoint rounds]");
    return 2;
}

var database = args[0];
var random = new Random(int.Parse(args[1]));
var canisterCount = int.Parse(args[2]);
Console.Out.Flush();
var config = ActorMigratePersistence.Config(PersistenceJournal.Sqlite(database));
if (args.Length == 4)
{
    config = Akka.Configuration.ConfigurationFactory
        .ParseString($"actormigrate.persistence.stable-memory {{ snapshot-interval-rounds = {int.Parse(args[3])}, checkpoint-journal-ratio = 0 }}")
        .WithFallback(config);
}

using var system = ActorSystem.Create("crash-host", ActorMigratePersistence.Setup(config));
using var ic = new ActorHarness(SubnetActorSettings.FromConfig(system.Settings.Config), system, "subnet", new ModuleRegistry(new TallyModule()));

var canisters = ic.Read(s => s.Canisters.Select(c => c.Id).ToList());
foreach (var id in canisters)
{
    var (count, sum, ticks) = TallyModule.Audit(ic.StableMemoryImage(id));
    var (heapCount, heapSum, heapTicks, timers) = ic.Read(s => (TallyModule.AuditHeap(s[id].Heap), s[id].TimerTable.Count)) is var (h, t)
        ? (h.Count, h.BucketSum, h.Ticks, t)
        : default;
    var report = ic.Report(id);
    Console.WriteLine($"STATE {id} {report.Module?.Replace(' ', '_') ?? "none"} {report.Version} {count} {sum} {ticks} {heapCount} {heapSum} {heapTicks} {timers}");
    if (report.Module is null)
    {
        ic.Install(id, new TallyModule()); // killed between create and install
    }
}

while (canisters.Count < canisterCount)
{
    var id = ic.CreateCanister();
    ic.Install(id, new TallyModule());
    canisters.Add(id);
}

Console.WriteLine("READY");
Console.Out.Flush();
while (true)
{
    var id = canisters[random.Next(canisters.Count)];
    var count = ic.Update<ulong>(id, "deposit", (ulong)random.Next(1, TallyModule.Accounts));
    Console.WriteLine($"ACK {id} {count}");
    if (random.Next(4) == 0)
    {
        ic.AdvanceTime(TallyModule.TickInterval); // every canister's timer fires in the next round
    }

    Console.Out.Flush();
}
