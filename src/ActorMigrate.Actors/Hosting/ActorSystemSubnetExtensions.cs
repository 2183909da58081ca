using ActorMigrate.Actors.Subnet;
using Akka.Actor;

namespace ActorMigrate.Actors.Hosting;

/// <summary>Puts a subnet into an ActorSystem the host already runs, next to its own actors.</summary>
public static class ActorSystemSubnetExtensions
{
    /// <summary>
    /// Starts a <see cref="SubnetActor"/> named <paramref name="name"/> under /user. Without
    /// <paramref name="settings"/> they come from the system's config (hocon/actors.conf defaults;
    /// a durable subnet needs the persistence config: build the system with
    /// <c>ActorMigratePersistence.Setup(...)</c> or pass <see cref="SubnetActorSettings.Volatile"/>).
    /// </summary>
    public static IActorRef AddActorMigrateSubnet(this ActorSystem system, string name = "subnet", SubnetActorSettings? settings = null, ModuleRegistry? modules = null) =>
        system.ActorOf(SubnetActor.Props(settings ?? SubnetActorSettings.FromConfig(system.Settings.Config), modules), name);
}
