using System.Globalization;
using ActorMigrate.Migration;
using Akka.Configuration;

namespace ActorMigrate.Actors.Configuration;

/// <summary>
/// Reads <see cref="MigrationSettings"/> from section <c>actormigrate.migration</c> of HOCON
/// (hocon/migration.conf documents every key and its default). A key the file leaves out keeps the
/// default; an unknown key is refused with the valid ones named, and a value outside its range (a
/// chunk of 0 or 5,000, a slice share of 0, an unknown trigger, self-call with nothing to call from) is
/// refused with the reason — never clamped or dropped in silence.
/// </summary>
public static class MigrationSettingsHocon
{
    public const string Section = "actormigrate.migration";

    private static readonly string[] Keys =
        ["policy", "step", "triggers", "timer-interval", "atomic", "atomic-budget-share-permille", "start-on-upgrade"];

    private static readonly string[] StepKeys = ["sizing", "chunk", "slice-share-permille"];

    private static readonly Dictionary<string, RoutingPolicyKind> Policies = new()
    {
        ["dual-write"] = RoutingPolicyKind.DualWrite,
        ["pointer-routed"] = RoutingPolicyKind.PointerRouted,
    };

    private static readonly Dictionary<string, MigrationTriggers> Triggers = new()
    {
        ["heartbeat"] = MigrationTriggers.Heartbeat,
        ["timer"] = MigrationTriggers.Timer,
        ["self-call"] = MigrationTriggers.SelfCall,
        ["low-wasm-memory"] = MigrationTriggers.LowWasmMemory,
    };

    private static readonly Dictionary<string, AtomicMode> AtomicModes = new()
    {
        ["never"] = AtomicMode.Never,
        ["when-it-fits-else-incremental"] = AtomicMode.WhenItFitsElseIncremental,
        ["when-it-fits-else-fail-upgrade"] = AtomicMode.WhenItFitsElseFailUpgrade,
    };

    /// <summary>The settings in <paramref name="hoconFile"/> over the defaults.</summary>
    /// <exception cref="ConfigurationException">The file is missing or malformed, or names an unknown key or a nonsense value.</exception>
    public static MigrationSettings Load(string hoconFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(hoconFile);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"{hoconFile}: cannot read the migration settings: {e.Message}", e);
        }

        return FromConfig(ActorMigratePersistence.Parse(text, hoconFile), hoconFile);
    }

    /// <summary>The settings under <see cref="Section"/> of <paramref name="config"/> over <see cref="MigrationSettings.Default"/>.</summary>
    public static MigrationSettings FromConfig(Config config, string source = "configuration")
    {
        if (!config.HasPath(Section))
        {
            return MigrationSettings.Default;
        }

        return Bind(config.GetConfig(Section), Section, source);
    }

    /// <summary>
    /// The settings in <paramref name="section"/> — an object with this section's keys found anywhere, such as a
    /// scenario's <c>migration { }</c> — over the defaults; messages name the keys under <paramref name="path"/>.
    /// </summary>
    /// <exception cref="ConfigurationException">An unknown key or a nonsense value; the message starts with <paramref name="source"/>.</exception>
    public static MigrationSettings Bind(Config section, string path, string source)
    {
        RefuseUnknown(section, Keys, path, source);
        var defaults = MigrationSettings.Default;
        var settings = defaults with
        {
            Policy = Named(section, "policy", Policies, defaults.Policy, source, path),
            Sizing = Sizing(section, defaults.Sizing, source, path),
            Triggers = TriggerList(section, defaults.Triggers, source, path),
            TimerInterval = Interval(section, defaults.TimerInterval, source, path),
            Atomic = Named(section, "atomic", AtomicModes, defaults.Atomic, source, path),
            AtomicBudgetSharePermille = Whole(section, "atomic-budget-share-permille", 1, 1_000, defaults.AtomicBudgetSharePermille, source, path),
            StartOnUpgrade = Flag(section, "start-on-upgrade", defaults.StartOnUpgrade, source, path),
        };
        if (settings.Triggers.HasFlag(MigrationTriggers.SelfCall) && (settings.Triggers & (MigrationTriggers.Heartbeat | MigrationTriggers.Timer)) == 0)
        {
            throw new ConfigurationException(
                $"{source}: {path}.triggers has self-call without heartbeat or timer: self-call only changes how heartbeat and timer steps run");
        }

        return settings;
    }

    private static StepSizing Sizing(Config section, StepSizing defaults, string source, string parent)
    {
        if (!section.HasPath("step"))
        {
            return defaults;
        }

        var step = section.GetConfig("step");
        var path = parent + ".step";
        RefuseUnknown(step, StepKeys, path, source);
        var sizing = step.HasPath("sizing") ? step.GetString("sizing") : "fixed";
        var chunk = Whole(step, "chunk", 1, StepSizing.MaxFixedChunk, defaults.ChunkSize, source, path);
        var share = Whole(step, "slice-share-permille", 1, 1_000, defaults.SliceSharePermille, source, path);
        return sizing switch
        {
            "fixed" => StepSizing.Fixed(chunk),
            "budget" => StepSizing.Budget(share),
            _ => throw new ConfigurationException($"{source}: {path}.sizing = {sizing}: expected fixed or budget"),
        };
    }

    private static MigrationTriggers TriggerList(Config section, MigrationTriggers defaults, string source, string path)
    {
        if (!section.HasPath("triggers"))
        {
            return defaults;
        }

        if (!section.GetValue("triggers").IsArray() && section.GetString("triggers") == "none")
        {
            return MigrationTriggers.None; // Akka's parser reads an empty list as no value: "none" says it
        }

        IList<string> names;
        try
        {
            names = section.GetStringList("triggers");
        }
        catch (Exception e) when (e is ConfigurationException or Akka.Configuration.ConfigurationException or InvalidCastException)
        {
            throw new ConfigurationException($"{source}: {path}.triggers: expected a list such as [heartbeat, self-call], or none: {e.Message}", e);
        }

        var triggers = MigrationTriggers.None;
        foreach (var name in names)
        {
            triggers |= Triggers.TryGetValue(name, out var trigger)
                ? trigger
                : throw new ConfigurationException(
                    $"{source}: {path}.triggers names {name}; the triggers are {string.Join(", ", Triggers.Keys)} (or triggers = none)");
        }

        return triggers;
    }

    private static TimeSpan Interval(Config section, TimeSpan defaults, string source, string path)
    {
        if (!section.HasPath("timer-interval"))
        {
            return defaults;
        }

        var text = section.GetString("timer-interval");
        TimeSpan interval;
        try
        {
            interval = section.GetTimeSpan("timer-interval");
        }
        catch (Exception e) when (e is FormatException or OverflowException or Akka.Configuration.ConfigurationException)
        {
            throw new ConfigurationException($"{source}: {path}.timer-interval = {text}: expected a duration such as 1s or 500ms", e);
        }

        return interval > TimeSpan.Zero
            ? interval
            : throw new ConfigurationException($"{source}: {path}.timer-interval = {text}: an interval timer needs a positive interval");
    }

    private static T Named<T>(Config section, string key, Dictionary<string, T> values, T defaults, string source, string path)
    {
        if (!section.HasPath(key))
        {
            return defaults;
        }

        var text = section.GetString(key);
        return values.TryGetValue(text, out var value)
            ? value
            : throw new ConfigurationException($"{source}: {path}.{key} = {text}: expected one of {string.Join(", ", values.Keys)}");
    }

    private static int Whole(Config section, string key, int min, int max, int defaults, string source, string path)
    {
        if (!section.HasPath(key))
        {
            return defaults;
        }

        var text = section.GetString(key);
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ConfigurationException($"{source}: {path}.{key} = {text}: expected a whole number in {min} .. {max}");
    }

    private static bool Flag(Config section, string key, bool defaults, string source, string path)
    {
        if (!section.HasPath(key))
        {
            return defaults;
        }

        var text = section.GetString(key);
        return text switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw new ConfigurationException($"{source}: {path}.{key} = {text}: expected true or false"),
        };
    }

    private static void RefuseUnknown(Config section, string[] known, string path, string source)
    {
        foreach (var (key, _) in section.AsEnumerable())
        {
            var name = key.Split('.')[0];
            if (!known.Contains(name))
            {
                throw new ConfigurationException($"{source}: unknown key {path}.{name}; the keys there are {string.Join(", ", known.Order())}");
            }
        }
    }
}
