using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Subnet;
using Akka.Hosting;

namespace ActorMigrate.Actors.Hosting;

/// <summary>Key of the subnet actor in Akka.Hosting's <see cref="ActorRegistry"/>: <c>registry.Get&lt;ActorMigrateSubnet&gt;()</c>.</summary>
public sealed class ActorMigrateSubnet;

/// <summary>Akka.Hosting: <c>services.AddAkka("app", b => b.AddActorMigrate(o => …))</c>.</summary>
public static class AkkaHostingExtensions
{
    public static AkkaConfigurationBuilder AddActorMigrate(this AkkaConfigurationBuilder builder, Action<ActorMigrateOptions>? configure = null)
    {
        var options = new ActorMigrateOptions();
        configure?.Invoke(options);
        if (options.Journal is { } journal)
        {
            var persistence = ActorMigratePersistence.Config(journal);
            builder.AddHocon(persistence, HoconAddMode.Append);
            if (ActorMigratePersistence.SqliteConnectionSetup(persistence) is { } connections)
            {
                builder.AddSetup(connections);
            }
        }

        builder.AddHocon(ActorMigrateActors.DefaultConfig, HoconAddMode.Append);
        builder.WithActors((system, registry) =>
        {
            var settings = options.Journal is null
                ? SubnetActorSettings.Volatile(options.Engine)
                : SubnetActorSettings.FromConfig(system.Settings.Config, options.Engine) with { ReleaseRepliesBeforeDurable = options.ReleaseRepliesBeforeDurable };
            registry.Register<ActorMigrateSubnet>(system.AddActorMigrateSubnet(options.SubnetName, settings, options.Modules));
        });
        return builder;
    }
}
