using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>The scenario files in examples/scenarios, found from the test's folder upwards.</summary>
public static class ExampleScenarios
{
    public static string Folder { get; } = Find();

    public static string PathOf(string name) => Path.Combine(Folder, name + ".conf");

    public static Scenario Load(string name) => ScenarioLoader.LoadFile(PathOf(name));

    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(Folder, "*.conf").Select(f => new object[] { Path.GetFileNameWithoutExtension(f) }).OrderBy(n => (string)n[0]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "scenarios");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("examples/scenarios was not found above " + AppContext.BaseDirectory);
    }
}
