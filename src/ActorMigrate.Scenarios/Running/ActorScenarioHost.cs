using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Actor;
using Akka.Configuration;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// The actors (scenario journal <c>sqlite</c> or <c>memory</c>): a durable SubnetActor in an ActorSystem
/// of its own. On a SQLite file that already holds a subnet, the canisters are recovered first. The
/// traffic each store served comes from the ProxyActors' <see cref="Actors.Proxy.MigrationProgress"/>.
/// </summary>
public sealed class ActorScenarioHost : IScenarioHost
{
    private readonly ActorSystem system;
    private readonly ActorHarness harness;
    private readonly IActorRef traffic;

    public ActorScenarioHost(SubnetSettings settings, PersistenceJournal journal, ModuleRegistry modules)
    {
        // Akka's own INFO lines would interleave with the live progress; warnings still show.
        var quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off");
        system = ActorSystem.Create("actormigrate-run", ActorMigratePersistence.Setup(quiet.WithFallback(ActorMigratePersistence.Config(journal))));
        traffic = system.ActorOf(Props.Create(() => new ProxyTrafficListener()), "proxy-traffic");
        system.EventStream.Subscribe(traffic, typeof(Actors.Proxy.MigrationProgress)); // before any canister runs
        harness = new ActorHarness(SubnetActorSettings.FromConfig(system.Settings.Config, settings), system, "subnet", modules)
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public ICanisterHarness Harness => harness;

    public IReadOnlyList<CallResult> RunRound(IReadOnlyList<IngressCall> calls)
    {
        if (calls.Count == 0)
        {
            harness.Tick();
            return [];
        }

        // One round delivers them all, in order: the same seed gives the same rounds on the actors as on the engine.
        var answers = harness.WhileHeld(() =>
            calls.Select(c => harness.Subnet.Ask<CallResult>(new UpdateCall(c.Canister, c.Method, c.Arg, harness.Controller), harness.Timeout)).ToList());
        return [.. answers.Select(a => a.GetAwaiter().GetResult())];
    }

    public TrafficServed Served(Principal canister) =>
        traffic.Ask<TrafficServed>(new ProxyTrafficListener.Ask(canister), harness.Timeout).GetAwaiter().GetResult();

    public T Read<T>(Func<Subnet, T> read) => harness.Read(read);

    public void Dispose()
    {
        harness.Dispose();
        system.Terminate().Wait(TimeSpan.FromSeconds(30));
        system.Dispose();
    }
}
