using System.Globalization;
using ActorMigrate.Actors.Configuration;
using Akka.Configuration;
using ConfigurationException = ActorMigrate.Actors.Configuration.ConfigurationException;
using Akka.Configuration.Hocon;

namespace ActorMigrate.Scenarios.Loading;

/// <summary>
/// One object of a scenario file with its dotted path: typed reads that refuse nonsense, and the check
/// that names an unknown key together with the valid ones. Every error is a <see cref="ConfigurationException"/>
/// naming the file, the line (found in the text) and the key.
/// </summary>
internal sealed class ScenarioSection(Config config, string path, ScenarioText text)
{
    public string Path => path;

    /// <summary>The object itself, for a binder that reads it whole (<see cref="MigrationSettingsHocon"/>).</summary>
    public Config Config => config;

    /// <summary>The file (or other source) the object was read from.</summary>
    public string Source => text.Source;

    public bool Has(string key) => config.HasPath(key);

    public bool IsList(string key) => config.HasPath(key) && config.GetValue(key).IsArray();

    /// <summary>The keys written directly in this object.</summary>
    public IReadOnlyList<string> Keys => [.. config.AsEnumerable().Select(e => e.Key.Split('.')[0]).Distinct()];

    public void RefuseUnknownKeys(params string[] valid)
    {
        foreach (var key in Keys)
        {
            if (!valid.Contains(key, StringComparer.Ordinal))
            {
                throw Error(key, $"unknown key {Qualified(key)}; the keys there are {string.Join(", ", valid.Order(StringComparer.Ordinal))}");
            }
        }
    }

    public ScenarioSection? Section(string key)
    {
        if (!config.HasPath(key))
        {
            return null;
        }

        if (!config.GetValue(key).IsObject())
        {
            throw Error(key, $"{Qualified(key)} must be an object {{ ... }}");
        }

        return new ScenarioSection(config.GetConfig(key), Qualified(key), text);
    }

    /// <summary>The objects of the list under <paramref name="key"/> (empty when absent).</summary>
    public IReadOnlyList<ScenarioSection> List(string key)
    {
        if (!config.HasPath(key))
        {
            return [];
        }

        var value = config.GetValue(key);
        if (!value.IsArray())
        {
            throw Error(key, $"{Qualified(key)} must be a list [ ... ]");
        }

        var items = value.GetArray();
        var sections = new List<ScenarioSection>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!items[i].IsObject())
            {
                throw Error(key, $"{Qualified(key)}[{i}] must be an object {{ ... }}");
            }

            sections.Add(new ScenarioSection(new Config(new HoconRoot(items[i])), $"{Qualified(key)}[{i}]", text));
        }

        return sections;
    }

    public string String(string key, string? fallback = null)
    {
        if (!config.HasPath(key))
        {
            return fallback ?? throw Error(path, $"{Qualified(key)} is missing");
        }

        var value = config.GetValue(key);
        if (!value.IsString())
        {
            throw Error(key, $"{Qualified(key)} must be a single value, not an object or a list");
        }

        return value.GetString();
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int fallback, int min, int max = int.MaxValue, string? why = null)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        var raw = String(key);
        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(key, $"{Qualified(key)} = {raw}: expected a whole number");
        }

        if (value < min || value > max)
        {
            var range = max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            throw Error(key, $"{Qualified(key)} = {raw}: must be {range}{(why is null ? "" : $" ({why})")}");
        }

        return (int)value;
    }

    public bool Bool(string key, bool fallback)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        return String(key).ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var other => throw Error(key, $"{Qualified(key)} = {other}: expected on or off"),
        };
    }

    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        TimeSpan value;
        try
        {
            value = config.GetTimeSpan(key, null, allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or Akka.Configuration.ConfigurationException or OverflowException or ArgumentException)
        {
            throw Error(key, $"{Qualified(key)} = {String(key)}: expected a duration such as 1s or 500ms");
        }

        return value > TimeSpan.Zero ? value : throw Error(key, $"{Qualified(key)} = {String(key)}: must be longer than zero");
    }

    /// <summary>One of <paramref name="choices"/> (names as the file writes them).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyDictionary<string, T> choices)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        var raw = String(key);
        return choices.TryGetValue(raw, out var value)
            ? value
            : throw Error(key, $"{Qualified(key)} = {raw}: must be one of {string.Join(", ", choices.Keys)}");
    }

    public IReadOnlyList<string> Strings(string key)
    {
        if (!config.HasPath(key))
        {
            return [];
        }

        var value = config.GetValue(key);
        if (!value.IsArray())
        {
            throw Error(key, $"{Qualified(key)} must be a list [ ... ] with at least one element (Akka's parser cannot tell an empty list from nothing)");
        }

        return [.. config.GetStringList(key)];
    }

    public string Qualified(string key) => $"{path}.{key}";

    /// <summary>An error about <paramref name="key"/> of this object: file, line (when the text shows it) and the message.</summary>
    public ConfigurationException Error(string key, string message) => text.Error(path, key, message);

    /// <summary>An error about <paramref name="dottedKey"/> (e.g. <c>step.chunk</c>) below this object, at the line of its last segment.</summary>
    public ConfigurationException ErrorAt(string dottedKey, string message)
    {
        var segments = (dottedKey.Length > 0 ? $"{path}.{dottedKey}" : path).Split('.'); // no key named: the object's own line
        return text.Error(string.Join('.', segments[..^1]), segments[^1], message);
    }
}
