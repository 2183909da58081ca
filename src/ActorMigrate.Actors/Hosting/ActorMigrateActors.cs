using System.Reflection;
using Akka.Configuration;

namespace ActorMigrate.Actors.Hosting;

/// <summary>The defaults of hocon/actors.conf, embedded in this assembly.</summary>
public static class ActorMigrateActors
{
    public const string ResourceName = "ActorMigrate.Actors.hocon.actors.conf";

    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString(ReadEmbedded());

    private static string ReadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} (hocon/actors.conf) is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
