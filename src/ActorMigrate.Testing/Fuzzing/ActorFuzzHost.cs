using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using Akka.Actor;
using Akka.Configuration;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// The actors with the in-memory journal: a durable subnet whose crash is the subnet actor (and every
/// canister under it) dying and a new one recovering from the journal under the same name.
/// Pass a shared <see cref="ActorSystem"/> made with <see cref="CreateSystem"/> to run many sequences
/// cheaply; each host uses its own subnet name.
/// </summary>
public sealed class ActorFuzzHost : FuzzHost
{
    private static int hosts;
    private readonly ActorSystem system;
    private readonly bool ownsSystem;
    private readonly SubnetActorSettings settings;
    private readonly ModuleRegistry modules;
    private readonly string name = $"fuzz-{Interlocked.Increment(ref hosts)}";
    private ActorHarness harness;

    public ActorFuzzHost(SubnetSettings engine, IEnumerable<CanisterModule> modules, ActorSystem? system = null)
    {
        ownsSystem = system is null;
        this.system = system ?? CreateSystem();
        settings = SubnetActorSettings.FromConfig(this.system.Settings.Config, engine);
        this.modules = new ModuleRegistry([.. modules]);
        harness = new ActorHarness(settings, this.system, name, this.modules);
    }

    /// <summary>An ActorSystem with ActorMigrate's persistence on the in-memory journal.</summary>
    /// <summary>Akka's INFO lines (a shutdown per crash) would bury the fuzzer's progress; warnings still show.</summary>
    public static ActorSystem CreateSystem() => ActorSystem.Create("fuzz",
        ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off")
            .WithFallback(ActorMigratePersistence.Config(PersistenceJournal.InMemory)));

    public override ICanisterHarness Harness => harness;

    public override bool CanCrash => true;

    public override void Crash()
    {
        harness.Subnet.GracefulStop(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        harness = new ActorHarness(settings, system, name, modules);
    }

    public override void InjectTrap(Principal canister, InjectedTrap kind) =>
        harness.Read(subnet =>
        {
            // Runs on the subnet actor between rounds, the only place its engine may be touched.
            subnet[canister].InjectTrap(kind);
            return 0;
        });

    public override void Dispose()
    {
        if (ownsSystem)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        else
        {
            harness.Subnet.GracefulStop(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
    }
}
