using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ActorMigrate.Canisters.Tests;

/// <summary>hocon/actormigrate.conf documents every default: each settings property has a key there with the same value.</summary>
public sealed partial class HoconDefaultsTests
{
    [Fact]
    public void Every_limit_and_cost_default_appears_in_the_hocon_file_with_the_same_value()
    {
        var hocon = File.ReadAllText(FindHocon());
        var missing = new List<string>();
        Check(new ExecutionLimits(), hocon, missing);
        Check(new CostModel(), hocon, missing);
        Check(new SubnetSettings(), hocon, missing);
        Assert.Empty(missing);
    }

    private static void Check(object settings, string hocon, List<string> missing)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(settings);
            if (value is not (long or ulong or int))
            {
                continue; // nested records (limits, costs, structure costs) are checked by their own keys
            }

            var key = Kebab(property.Name);
            var match = Regex.Match(hocon, $@"(?m)^\s*{Regex.Escape(key)}\s*=\s*(\d+)");
            if (!match.Success || match.Groups[1].Value != Convert.ToString(value, CultureInfo.InvariantCulture))
            {
                missing.Add($"{settings.GetType().Name}.{property.Name} = {value} (hocon key '{key}': {(match.Success ? match.Groups[1].Value : "absent")})");
            }
        }
    }

    private static string Kebab(string pascal) => UpperCase().Replace(pascal, m => (m.Index == 0 ? "" : "-") + m.Value.ToLowerInvariant());

    [GeneratedRegex("[A-Z]")]
    private static partial Regex UpperCase();

    private static string FindHocon()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon", "actormigrate.conf");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("hocon/actormigrate.conf not found above the test binary");
    }
}
