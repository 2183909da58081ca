using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.CrashHost;
using ActorMigrate.Testing;
using Akka.Actor;

// The crash test's child process: a durable subnet on a SQLite file, recovered at start, then
// endless deposits. Protocol on stdout (one line each, flushed):
//   STATE <canister> <module> <canister_version> <deposit count> <balance sum>   after recovery
//   READY                                                                          traffic starts
//   ACK <canister> <count>                                                         a deposit was answered
// Usage: ActorMigrate.CrashHost <sqlite file> <seed> <canisters>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ActorMigrate.CrashHost <sqlite file> <seed> <canisters>");
    return 2;
}

var database = args[0];
var random = new Random(int.Parse(args[1]));
var canisterCount = int.Parse(args[2]);
Console.Out.Flush();
using var system = ActorSystem.Create("crash-host", ActorMigratePersistence.Config(PersistenceJournal.Sqlite(database)));
using var ic = new ActorHarness(SubnetActorSettings.FromConfig(system.Settings.Config), system, "subnet", new ModuleRegistry(new TallyModule()));

var canisters = ic.Read(s => s.Canisters.Select(c => c.Id).ToList());
foreach (var id in canisters)
{
    var (count, sum) = TallyModule.Audit(ic.StableMemoryImage(id));
    var report = ic.Report(id);
    Console.WriteLine($"STATE {id} {report.Module?.Replace(' ', '_') ?? "none"} {report.Version} {count} {sum}");
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
    Console.Out.Flush();
}
