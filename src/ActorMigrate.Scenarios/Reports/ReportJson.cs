using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace ActorMigrate.Scenarios.Reports;

/// <summary>report.json: a <see cref="ScenarioReport"/> as indented camelCase JSON, and back.</summary>
public static class ReportJson
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        Formatting = Formatting.Indented,
        MissingMemberHandling = MissingMemberHandling.Error,
    };

    public static string Write(ScenarioReport report) => JsonConvert.SerializeObject(report, Settings);

    public static ScenarioReport Read(string json) =>
        JsonConvert.DeserializeObject<ScenarioReport>(json, Settings) ?? throw new JsonSerializationException("report.json holds no report");
}
