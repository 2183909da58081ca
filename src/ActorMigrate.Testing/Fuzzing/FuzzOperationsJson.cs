using ActorMigrate.Canisters;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>
/// Operation lists as JSON: one object per operation, <c>"op"</c> naming it (the <see cref="FuzzOperation.Name"/>s)
/// and its fields in camelCase, values in the target's own JSON form. Nothing in the file depends on type
/// or assembly names, so a list written today replays after the code changes.
/// </summary>
/// <example>
/// <code>
/// { "target": "accounts", "strategy": "dual-write", "seed": 42, "failure": "...",
///   "operations": [ { "op": "put", "key": "00001-0", "value": { ... } }, { "op": "upgrade", "version": 3, "settings": 0 } ] }
/// </code>
/// </example>
public static class FuzzOperationsJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(),
        Converters = { new StringEnumConverter() },
    });

    /// <summary>A saved failing (or interesting) sequence.</summary>
    public sealed record Document(string Target, string Strategy, ulong? Seed, string? Failure, IReadOnlyList<FuzzOperation> Operations);

    public static string Write(Document document)
    {
        var root = new JObject
        {
            ["target"] = document.Target,
            ["strategy"] = document.Strategy,
            ["seed"] = document.Seed is { } seed ? new JValue(seed) : JValue.CreateNull(),
            ["failure"] = document.Failure,
            ["operations"] = new JArray(document.Operations.Select(ToJson)),
        };
        return root.ToString(Formatting.Indented);
    }

    public static JObject ToJson(FuzzOperation op)
    {
        var json = new JObject { ["op"] = op.Name };
        foreach (var property in op.GetType().GetProperties().Where(p => p.DeclaringType == op.GetType() && p.Name is not nameof(FuzzOperation.Name) and not nameof(FuzzOperation.IsLifecycle)))
        {
            json[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = JToken.FromObject(property.GetValue(op)!, Serializer);
        }

        return json;
    }

    /// <summary>Reads a document written by <see cref="Write"/>; values are read as <paramref name="target"/>'s value type.</summary>
    /// <exception cref="FormatException">The JSON is not an operation list; the message names the operation and field.</exception>
    public static Document Read(string json, FuzzTarget target)
    {
        JObject root;
        try
        {
            root = JObject.Parse(json);
        }
        catch (JsonReaderException e)
        {
            throw new FormatException($"not a JSON operation list: {e.Message}");
        }

        var operations = root["operations"] as JArray ?? throw new FormatException("the operation list has no \"operations\" array");
        return new Document(
            (string?)root["target"] ?? target.Name,
            (string?)root["strategy"] ?? target.Strategies[0],
            root["seed"]?.Type == JTokenType.Integer ? (ulong)root["seed"]! : null,
            (string?)root["failure"],
            operations.Select((o, i) => FromJson(o as JObject ?? throw new FormatException($"operation {i} is not an object"), target, i)).ToList());
    }

    public static FuzzOperation FromJson(JObject json, FuzzTarget target, int index = 0)
    {
        var name = (string?)json["op"] ?? throw new FormatException($"operation {index} has no \"op\"");
        T Field<T>(string field) => json[field] is { } token
            ? token.ToObject<T>(Serializer)!
            : throw new FormatException($"operation {index} ({name}) has no \"{field}\"");
        return name switch
        {
            "put" => new PutOp(Field<string>("key"), json["value"]?.ToObject(target.ValueType, Serializer) ?? throw new FormatException($"operation {index} (put) has no \"value\"")),
            "remove" => new RemoveOp(Field<string>("key")),
            "get" => new GetOp(Field<string>("key")),
            "range" => new RangeOp(Field<string>("from"), Field<int>("limit")),
            "tick" => new TickOp(Field<int>("rounds")),
            "advance_time" => new AdvanceTimeOp(Field<int>("seconds")),
            "upgrade" => new UpgradeOp(Field<int>("version"), Field<int>("settings"), json["skipPreUpgrade"]?.ToObject<bool>() ?? false),
            "reverse_migration" => new ReverseMigrationOp(Field<int>("chunk")),
            "trap_next" => new TrapNextOp(Field<InjectedTrap>("kind")),
            "crash" => new CrashOp(),
            "stop" => new StopOp(),
            "start" => new StartOp(),
            "take_snapshot" => new TakeSnapshotOp(),
            "load_snapshot" => new LoadSnapshotOp(Field<int>("index")),
            "stranger_upgrade" => new StrangerUpgradeOp(Field<int>("version")),
            "stranger_step" => new StrangerStepOp(Field<int>("chunk")),
            _ => throw new FormatException($"operation {index}: unknown op \"{name}\""),
        };
    }
}
