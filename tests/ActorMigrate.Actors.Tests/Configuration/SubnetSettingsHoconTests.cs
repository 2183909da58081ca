using ActorMigrate.Actors.Configuration;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Actors.Tests.Configuration;

public sealed class SubnetSettingsHoconTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"subnet-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(file);

    private string Write(string hocon)
    {
        File.WriteAllText(file, hocon);
        return file;
    }

    [Fact]
    public void The_repository_hocon_file_loads_to_exactly_the_engine_defaults()
    {
        Assert.Equal(SubnetSettings.Default, SubnetSettingsHocon.Load(RepositoryHocon()));
    }

    [Fact]
    public void A_harness_started_from_hocon_runs_with_the_keys_the_file_sets_and_the_defaults_for_the_rest()
    {
        var harness = EngineHarness.FromHocon(Write("""
            actormigrate.canisters {
              seed = 7
              limits.max-instructions-per-update = 1000000
              costs.b-tree-map { insert = 5 }
            }
            """));

        var settings = harness.Subnet.Settings;
        Assert.Equal(7UL, settings.Seed);
        Assert.Equal(1_000_000, settings.Limits.MaxInstructionsPerUpdate);
        Assert.Equal(5, settings.Costs.BTreeMap.Insert);
        Assert.Equal(SubnetSettings.Default.Costs.BTreeMap.Remove, settings.Costs.BTreeMap.Remove);
        Assert.Equal(SubnetSettings.Default.Limits.MaxInstructionsPerQuery, settings.Limits.MaxInstructionsPerQuery);
    }

    [Fact]
    public void An_unknown_key_is_refused_with_the_valid_keys_named()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            SubnetSettingsHocon.Load(Write("actormigrate.canisters.limits.max-instructions-per-updat = 5")));
        Assert.Contains("unknown key actormigrate.canisters.limits.max-instructions-per-updat", e.Message);
        Assert.Contains("max-instructions-per-update", e.Message);
    }

    [Theory]
    [InlineData("actormigrate.canisters.limits.max-instructions-per-query = 0", "a limit of zero")]
    [InlineData("actormigrate.canisters.costs.stable-grow = -3", "expected a whole number")]
    [InlineData("actormigrate.canisters.seed = many", "expected a whole number")]
    public void A_nonsense_value_is_refused_with_the_reason(string hocon, string reason)
    {
        var e = Assert.Throws<ConfigurationException>(() => SubnetSettingsHocon.Load(Write(hocon)));
        Assert.Contains(reason, e.Message);
        Assert.StartsWith(file, e.Message);
    }

    [Fact]
    public void A_malformed_file_is_reported_with_its_name_and_line()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            SubnetSettingsHocon.Load(Write("actormigrate.canisters {\n  seed = 1\n  limits {\n")));
        Assert.StartsWith(file, e.Message);
        Assert.Contains("line", e.Message);
    }

    private static string RepositoryHocon()
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
