using System.Globalization;
using System.Reflection;
using ActorMigrate.Canisters;
using Akka.Configuration;

namespace ActorMigrate.Actors.Configuration;

/// <summary>
/// Reads the engine's settings (<see cref="SubnetSettings"/>, section <c>actormigrate.canisters</c> of
/// hocon/actormigrate.conf) from HOCON. Keys are the records' property names in kebab-case; a key the
/// file leaves out keeps the record's default (the IC's value), a key the records do not have is refused
/// with the valid ones named, so a typo never silently falls back to a default.
/// </summary>
public static class SubnetSettingsHocon
{
    public const string Section = "actormigrate.canisters";

    /// <summary>The settings in <paramref name="hoconFile"/> over the IC's defaults.</summary>
    /// <exception cref="ConfigurationException">The file is missing, malformed, or names an unknown key or a nonsense value.</exception>
    public static SubnetSettings Load(string hoconFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(hoconFile);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"{hoconFile}: cannot read the subnet settings: {e.Message}", e);
        }

        return FromConfig(ActorMigratePersistence.Parse(text, hoconFile), hoconFile);
    }

    /// <summary>The settings under <see cref="Section"/> of <paramref name="config"/> over the IC's defaults.</summary>
    public static SubnetSettings FromConfig(Config config, string source = "configuration")
    {
        if (!config.HasPath(Section))
        {
            return SubnetSettings.Default;
        }

        return (SubnetSettings)Bind(SubnetSettings.Default, config.GetConfig(Section), Section, source);
    }

    /// <summary>A copy of the record <paramref name="defaults"/> with every key of <paramref name="section"/> applied.</summary>
    private static object Bind(object defaults, Config section, string path, string source)
    {
        var type = defaults.GetType();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => Kebab(p.Name));
        var result = type.GetMethod("<Clone>$")!.Invoke(defaults, null)!;
        foreach (var (key, _) in section.AsEnumerable())
        {
            var name = key.Split('.')[0];
            if (!properties.TryGetValue(name, out var property))
            {
                throw new ConfigurationException(
                    $"{source}: unknown key {path}.{name}; the keys there are {string.Join(", ", properties.Keys.Order())}");
            }
        }

        foreach (var (name, property) in properties)
        {
            if (!section.HasPath(name))
            {
                continue;
            }

            var value = property.PropertyType switch
            {
                var t when t == typeof(long) => Number(section, name, path, source),
                var t when t == typeof(ulong) => (object)checked((ulong)Number(section, name, path, source)),
                _ => Bind(property.GetValue(defaults)!, section.GetConfig(name), $"{path}.{name}", source),
            };
            property.SetValue(result, value);
        }

        return result;
    }

    private static long Number(Config section, string name, string path, string source)
    {
        var text = section.GetString(name);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ConfigurationException($"{source}: {path}.{name} = {text}: expected a whole number ≥ 0");
        }

        if (value == 0 && path.EndsWith(".limits", StringComparison.Ordinal) && name != "default-wasm-memory-threshold-bytes")
        {
            throw new ConfigurationException($"{source}: {path}.{name} = 0: a limit of zero would refuse every execution");
        }

        return value;
    }

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "-") + char.ToLowerInvariant(c) : c.ToString()));
}
