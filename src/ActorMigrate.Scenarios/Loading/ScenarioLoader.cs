using System.Text.RegularExpressions;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.Scenarios.Definition;
using Akka.Configuration;
using ConfigurationException = ActorMigrate.Actors.Configuration.ConfigurationException;

namespace ActorMigrate.Scenarios.Loading;

/// <summary>
/// Reads a scenario from HOCON (Akka's parser, behind the structural checks of the actor layer's
/// configuration). A file has a <c>scenario { }</c> object and, optionally, an <c>actormigrate.canisters { }</c>
/// object with the same keys as hocon/actormigrate.conf (limits, costs, seed), bound by <see cref="SubnetSettingsHocon"/>.
/// Malformed text, unknown keys, nonsense values and unknown modules are refused with the file, the line and the key.
/// </summary>
public static partial class ScenarioLoader
{
    /// <summary>The scenario in <paramref name="file"/>.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read or used; the message says where and why.</exception>
    public static Scenario LoadFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{file}: cannot read the scenario: {e.Message}", e);
        }

        return Load(text, file);
    }

    /// <summary>The flagship scenario (examples/scenarios/flagship.conf, embedded): what <c>actormigrate run</c> runs with no argument.</summary>
    public static Scenario Flagship()
    {
        using var stream = typeof(ScenarioLoader).Assembly.GetManifestResourceStream("ActorMigrate.Scenarios.flagship.conf")
            ?? throw new InvalidOperationException("examples/scenarios/flagship.conf is not embedded in ActorMigrate.Scenarios");
        using var reader = new StreamReader(stream);
        return Load(reader.ReadToEnd(), "flagship.conf (embedded examples/scenarios/flagship.conf)");
    }

    /// <summary>The scenario written in <paramref name="text"/>; <paramref name="source"/> names it in messages.</summary>
    public static Scenario Load(string text, string source)
    {
        var where = new ScenarioText(source, text);
        Config config;
        try
        {
            config = ActorMigratePersistence.Parse(text, source);
        }
        catch (ConfigurationException e) when (LineIn(e.Message) is { } line && where.KeyAt(line) is { } key)
        {
            throw new ConfigurationException($"{e.Message} (key {key})", e);
        }

        var root = new ScenarioSection(config, "", where);
        foreach (var key in root.Keys)
        {
            if (key is not ("scenario" or "actormigrate"))
            {
                throw where.Error("", key, $"unknown top-level key {key}; a scenario file has scenario {{ ... }} and, optionally, actormigrate.canisters {{ ... }}");
            }
        }

        if (config.HasPath("actormigrate"))
        {
            new ScenarioSection(config.GetConfig("actormigrate"), "actormigrate", where).RefuseUnknownKeys("canisters");
        }

        if (!config.HasPath("scenario") || !config.GetValue("scenario").IsObject())
        {
            throw new ConfigurationException($"{source}: no scenario {{ ... }} object");
        }

        var scenario = new ScenarioSection(config.GetConfig("scenario"), "scenario", where);

        scenario.RefuseUnknownKeys("name", "description", "seed", "journal", "round-duration", "canisters", "data", "traffic", "script");
        var seed = scenario.Int("seed", 1, 0);
        SubnetSettings subnet;
        try
        {
            subnet = SubnetSettingsHocon.FromConfig(config, source);
        }
        catch (ConfigurationException e) when (KeyIn(e.Message) is { } key)
        {
            var line = where.LineOf(string.Join('.', key.Split('.')[..^1]), key.Split('.')[^1]);
            throw new ConfigurationException(line > 0 ? e.Message.Replace($"{source}: ", $"{source}: line {line}: ", StringComparison.Ordinal) : e.Message, e);
        }

        if (!config.HasPath("actormigrate.canisters.seed"))
        {
            subnet = subnet with { Seed = (ulong)seed };
        }

        var canisters = Canisters(scenario);
        return new Scenario(
            scenario.String("name", Path.GetFileNameWithoutExtension(source)),
            scenario.String("description", ""),
            source,
            text,
            seed,
            scenario.Choice("journal", ScenarioJournal.Sqlite, Journals),
            canisters,
            Data(scenario.Section("data")),
            Traffic(scenario.Section("traffic")),
            Script(scenario, canisters),
            subnet,
            scenario.Duration("round-duration", TimeSpan.FromSeconds(1)));
    }

    private static readonly Dictionary<string, ScenarioJournal> Journals = new()
    {
        ["sqlite"] = ScenarioJournal.Sqlite,
        ["memory"] = ScenarioJournal.Memory,
        ["none"] = ScenarioJournal.None,
    };

    private static IReadOnlyList<CanisterDefinition> Canisters(ScenarioSection scenario)
    {
        var list = scenario.List("canisters");
        if (list.Count == 0)
        {
            throw scenario.Error("canisters", $"{scenario.Qualified("canisters")} is missing or empty: a scenario needs at least one canister");
        }

        var canisters = new List<CanisterDefinition>();
        foreach (var item in list)
        {
            item.RefuseUnknownKeys("name", "module");
            var name = item.String("name");
            if (!Regex.IsMatch(name, @"^[A-Za-z0-9_\-]+$"))
            {
                throw item.Error("name", $"{item.Qualified("name")} = {name}: use letters, digits, - and _");
            }

            if (canisters.Any(c => c.Name == name))
            {
                throw item.Error("name", $"{item.Qualified("name")} = {name}: two canisters have this name");
            }

            canisters.Add(new CanisterDefinition(name, Module(item, "module")));
        }

        return canisters;
    }

    private static string Module(ScenarioSection section, string key)
    {
        var name = section.String(key);
        return ModuleCatalog.Exists(name)
            ? name
            : throw section.Error(key, $"{section.Qualified(key)} = {name}: unknown module; the modules are {string.Join(", ", ModuleCatalog.Names)}");
    }

    private static DataShape Data(ScenarioSection? data)
    {
        if (data is null)
        {
            return new DataShape(0, 1, 2_000, 200);
        }

        data.RefuseUnknownKeys("records", "scale", "key-space", "load-per-round");
        var records = data.Int("records", 0, 0, 1_000_000, "a count of accounts cannot be negative");
        var keySpace = data.Int("key-space", Math.Max(2_000, records), 1, 99_999, "principals are five digits and a suffix 0–3");
        if (4L * keySpace < records + records / 4 + 1)
        {
            throw data.Error("key-space", $"{data.Qualified("key-space")} = {keySpace}: 4 × key-space principals cannot hold {records:N0} records and leave room for new ones; use at least {(records + records / 4 + 4) / 4}");
        }

        return new DataShape(
            records,
            data.Int("scale", 1, 1, 100, "a scale below 1 would make empty accounts"),
            keySpace,
            data.Int("load-per-round", 200, 1, 10_000));
    }

    private static TrafficMix Traffic(ScenarioSection? traffic)
    {
        if (traffic is null)
        {
            return new TrafficMix(0, 1, 1, 1, 1);
        }

        traffic.RefuseUnknownKeys("calls-per-round", "put", "overwrite", "remove", "get");
        var mix = new TrafficMix(
            traffic.Int("calls-per-round", 1, 0, 10_000, "a rate cannot be negative"),
            traffic.Int("put", 1, 0, 1_000_000, "a share cannot be negative"),
            traffic.Int("overwrite", 1, 0, 1_000_000, "a share cannot be negative"),
            traffic.Int("remove", 1, 0, 1_000_000, "a share cannot be negative"),
            traffic.Int("get", 1, 0, 1_000_000, "a share cannot be negative"));
        return mix.CallsPerRound > 0 && mix.TotalShares == 0
            ? throw traffic.Error("calls-per-round", $"{traffic.Path}: calls-per-round = {mix.CallsPerRound} but every share is 0; give put, overwrite, remove or get a share")
            : mix;
    }

    private static readonly string[] Actions = ["upgrade", "downgrade", "start-migration", "snapshot", "wait-rounds", "wait-until-round", "wait-until-phase"];

    private static IReadOnlyList<ScriptEvent> Script(ScenarioSection scenario, IReadOnlyList<CanisterDefinition> canisters)
    {
        var script = new List<ScriptEvent>();
        foreach (var item in scenario.List("script"))
        {
            var actions = item.Keys.Where(k => Actions.Contains(k)).ToList();
            if (actions.Count != 1)
            {
                throw item.Error(actions.Count == 0 ? item.Keys.FirstOrDefault() ?? "" : actions[1],
                    $"{item.Path} must have exactly one of {string.Join(", ", Actions)} (it has {(actions.Count == 0 ? "none" : string.Join(" and ", actions))})");
            }

            var action = actions[0];
            string? canister = null;
            if (item.Has("canister"))
            {
                canister = item.String("canister");
                if (canisters.All(c => c.Name != canister))
                {
                    throw item.Error("canister", $"{item.Qualified("canister")} = {canister}: no such canister; the canisters are {string.Join(", ", canisters.Select(c => c.Name))}");
                }
            }

            script.Add(action switch
            {
                "upgrade" or "downgrade" => Upgrade(item, action, canister),
                "start-migration" => StartMigration(item, canister),
                "snapshot" => Snapshot(item, canister),
                "wait-rounds" => Only(item, new WaitRoundsEvent(canister, item.Int("wait-rounds", 0, 1, 10_000_000)), "wait-rounds"),
                "wait-until-round" => Only(item, new WaitUntilRoundEvent(canister, item.Int("wait-until-round", 0, 0, 10_000_000)), "wait-until-round"),
                _ => WaitUntilPhase(item, canister),
            });
        }

        return script;
    }

    private static ScriptEvent Only(ScenarioSection item, ScriptEvent e, string action)
    {
        item.RefuseUnknownKeys(action, "canister");
        return e;
    }

    private static ScriptEvent Upgrade(ScenarioSection item, string action, string? canister)
    {
        item.RefuseUnknownKeys(action, "canister", "migration", "skip-pre-upgrade", "pre-upgrade-traps", "expect");
        var module = Module(item, action);
        var traps = item.Bool("pre-upgrade-traps", false);
        if (traps && !ModuleCatalog.HasTrappingPreUpgrade(module))
        {
            throw item.Error("pre-upgrade-traps", $"{item.Qualified("pre-upgrade-traps")}: only accounts-v3 has a release whose pre_upgrade traps, not {module}");
        }

        var migration = item.Section("migration");
        if (migration is not null && ModuleCatalog.VersionOf(module) < 3)
        {
            throw item.Error("migration", $"{item.Qualified("migration")}: migration settings are v3's post_upgrade argument; {module} takes none");
        }

        var expect = item.Choice("expect", false, new Dictionary<string, bool> { ["ok"] = false, ["trap"] = true });
        return new UpgradeEvent(canister, module, action == "downgrade", migration is null ? null : Migration(migration), item.Bool("skip-pre-upgrade", false), traps, expect);
    }

    private static ScriptEvent StartMigration(ScenarioSection item, string? canister)
    {
        item.RefuseUnknownKeys("start-migration", "canister", "migration");
        var direction = item.Choice("start-migration", MigrationDirection.StableToHeap, new Dictionary<string, MigrationDirection>
        {
            ["stable-to-heap"] = MigrationDirection.StableToHeap,
            ["heap-to-stable"] = MigrationDirection.HeapToStable,
        });
        var migration = item.Section("migration");
        return new StartMigrationEvent(canister, direction, migration is null ? MigrationSettings.Default : Migration(migration));
    }

    private static ScriptEvent Snapshot(ScenarioSection item, string? canister)
    {
        item.RefuseUnknownKeys("snapshot", "canister");
        return new SnapshotEvent(canister, item.Choice("snapshot", false, new Dictionary<string, bool> { ["take"] = false, ["load"] = true }));
    }

    private static ScriptEvent WaitUntilPhase(ScenarioSection item, string? canister)
    {
        item.RefuseUnknownKeys("wait-until-phase", "canister", "max-rounds");
        var phase = item.Choice("wait-until-phase", MigrationPhase.Completed, new Dictionary<string, MigrationPhase>
        {
            ["idle"] = MigrationPhase.Idle,
            ["migrating"] = MigrationPhase.Migrating,
            ["completed"] = MigrationPhase.Completed,
            ["aborted"] = MigrationPhase.Aborted,
        });
        return new WaitUntilPhaseEvent(canister, phase, item.Int("max-rounds", 10_000, 1, 10_000_000));
    }

    /// <summary>
    /// v3's post_upgrade argument from a <c>migration { }</c> object: the keys of hocon/migration.conf's
    /// <c>actormigrate.migration</c>, bound by <see cref="MigrationSettingsHocon"/> (one parser, one set of
    /// messages); its errors get the line of the key they name.
    /// </summary>
    private static MigrationSettings Migration(ScenarioSection m)
    {
        var source = m.Source;
        try
        {
            return MigrationSettingsHocon.Bind(m.Config, m.Path, source);
        }
        catch (ConfigurationException e)
        {
            var message = e.Message.StartsWith(source + ": ", StringComparison.Ordinal) ? e.Message[(source.Length + 2)..] : e.Message;
            var key = message.IndexOf(m.Path + ".", StringComparison.Ordinal) is var at and >= 0
                ? KeyAfterPath().Match(message[(at + m.Path.Length + 1)..]).Value
                : "";
            throw m.ErrorAt(key, message);
        }
    }

    private static int? LineIn(string message) =>
        LineNumber().Match(message) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string? KeyIn(string message) => SubnetKey().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"line (\d+):")]
    private static partial Regex LineNumber();

    [GeneratedRegex(@"^[\w\-]+(\.[\w\-]+)*")]
    private static partial Regex KeyAfterPath();

    [GeneratedRegex(@"(actormigrate\.canisters(\.[\w\-]+)+)")]
    private static partial Regex SubnetKey();
}
