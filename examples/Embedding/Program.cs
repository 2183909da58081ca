using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Examples.Embedding;
using Akka.Actor;

// A host application with its own ActorSystem puts a durable subnet next to its own actors.
// Run it twice: the second run recovers the canister from embedding.db and goes on counting.
//   dotnet run --project examples/Embedding [-- <sqlite file>]
var database = args.Length > 0 ? args[0] : "embedding.db";
using var system = ActorSystem.Create("my-app", ActorMigratePersistence.Setup(PersistenceJournal.Sqlite(database)));
var modules = new ModuleRegistry(new ClickCounterModule()); // recovery finds the module again by name + version
var subnet = system.AddActorMigrateSubnet("subnet", modules: modules);
var me = new Principal("my-app");
var timeout = TimeSpan.FromSeconds(30);

var existing = (List<Principal>)(await subnet.Ask<Inspected>(new Inspect(s => s.Canisters.Select(c => c.Id).ToList()), timeout)).Value!;
Principal canister;
if (existing.Count > 0)
{
    canister = existing[0];
    Console.WriteLine($"recovered canister {canister} from {database}");
}
else
{
    canister = (await subnet.Ask<CanisterCreated>(new CreateCanister(me), timeout)).Canister;
    var installed = await subnet.Ask<CallResult>(new InstallCode(canister, InstallMode.Install, new ClickCounterModule(), null, me), timeout);
    Console.WriteLine($"created canister {canister}: {(installed.Reject is null ? "installed" : installed.Reject.ToString())}");
}

// The application's own actors send traffic: five "browsers", each clicking page 1 ten times.
var browsers = Enumerable.Range(0, 5).Select(i => system.ActorOf(Props.Create(() => new Browser(subnet, canister, 10)), $"browser-{i}")).ToList();
var finished = await Task.WhenAll(browsers.Select(b => b.Ask<ulong>(Browser.Start.Instance, timeout)));
var clicks = await subnet.Ask<CallResult>(new QueryCall(canister, "clicks", 1UL, me), timeout);
Console.WriteLine($"browsers saw up to {finished.Max()} clicks; page 1 has {clicks.Reply} durable clicks");
await system.Terminate();

/// <summary>One of the application's actors: clicks a page <c>n</c> times, one call after the other.</summary>
internal sealed class Browser : ReceiveActor
{
    public sealed record Start
    {
        public static readonly Start Instance = new();
    }

    public Browser(IActorRef subnet, Principal canister, int clicks)
    {
        IActorRef? replyTo = null;
        var left = clicks;
        var call = new UpdateCall(canister, "click", 1UL, new Principal(Self.Path.Name));
        Receive<Start>(_ =>
        {
            replyTo = Sender;
            subnet.Tell(call);
        });
        Receive<CallResult>(result =>
        {
            if (--left == 0 || result.Reject is not null)
            {
                replyTo!.Tell(result.Reply is ulong n ? n : 0UL);
                return;
            }

            subnet.Tell(call);
        });
    }
}
