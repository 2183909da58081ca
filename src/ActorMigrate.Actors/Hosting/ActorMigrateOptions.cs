using ActorMigrate.Actors.Configuration;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Hosting;

/// <summary>What <see cref="AkkaHostingExtensions.AddActorMigrate"/> sets up.</summary>
public sealed class ActorMigrateOptions
{
    /// <summary>The subnet actor's name under /user (also its persistence ids' prefix).</summary>
    public string SubnetName { get; set; } = "subnet";

    /// <summary>The journal; null = none: a volatile subnet that keeps nothing across restarts.</summary>
    public PersistenceJournal? Journal { get; set; } = PersistenceJournal.Sqlite("actormigrate.db");

    /// <summary>Answer ingress before its round is durable (see hocon/actors.conf for what a crash then loses).</summary>
    public bool ReleaseRepliesBeforeDurable { get; set; }

    public SubnetSettings Engine { get; set; } = SubnetSettings.Default;

    /// <summary>The modules recovered canisters may name.</summary>
    public ModuleRegistry Modules { get; } = new();
}
