using ActorMigrate.Actors.Durability;
using Akka.Actor;
using Akka.Persistence;

namespace ActorMigrate.Actors.Subnet;

/// <summary>
/// A durable subnet's list of canisters (child of the <see cref="SubnetActor"/>): recovery needs to
/// know which StableMemoryActors to start. A canister is answered as created only once it is here.
/// A journal failure stops the subnet: it could no longer promise to find its canisters again.
/// </summary>
public sealed class CanisterDirectory : ReceivePersistentActor
{
    private readonly List<CanisterRegistered> canisters = [];

    public CanisterDirectory(string subnetName, StableMemorySettings settings)
    {
        PersistenceId = $"subnet/{subnetName}/canisters";
        if (settings.JournalPluginId is { } journal)
        {
            JournalPluginId = journal;
        }

        Recover<CanisterRegistered>(canisters.Add);
        Command<RegisterCanister>(register => Persist(new CanisterRegistered(register.CanisterId, register.Controllers), registered =>
        {
            canisters.Add(registered);
            register.ReplyTo.Tell(new CanisterCreated(new Canisters.Principal(registered.CanisterId)));
        }));
        Command<GetRegisteredCanisters>(_ => Sender.Tell(new RegisteredCanisters([.. canisters])));
    }

    public override string PersistenceId { get; }

    public static Props Props(string subnetName, StableMemorySettings settings) =>
        Akka.Actor.Props.Create(() => new CanisterDirectory(subnetName, settings));
}
