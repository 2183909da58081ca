using ActorMigrate.Actors.Configuration;
using ActorMigrate.Migration;

namespace ActorMigrate.Actors.Tests.Configuration;

public sealed class MigrationSettingsHoconTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"migration-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(file);

    private string Write(string hocon)
    {
        File.WriteAllText(file, hocon);
        return file;
    }

    private static string RepositoryHocon()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon", "migration.conf");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("hocon/migration.conf not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_repository_hocon_file_loads_to_exactly_the_default_settings()
    {
        Assert.Equal(MigrationSettings.Default, MigrationSettingsHocon.Load(RepositoryHocon()));
    }

    [Fact]
    public void Every_key_binds_onto_the_settings_and_the_keys_left_out_keep_their_defaults()
    {
        var settings = MigrationSettingsHocon.Load(Write("""
            actormigrate.migration {
              policy = pointer-routed
              step { sizing = budget, slice-share-permille = 250 }
              triggers = [timer, self-call, low-wasm-memory]
              timer-interval = 500ms
              atomic = when-it-fits-else-fail-upgrade
              atomic-budget-share-permille = 700
            }
            """));

        Assert.Equal(RoutingPolicyKind.PointerRouted, settings.Policy);
        Assert.Equal(StepSizing.Budget(250), settings.Sizing);
        Assert.Equal(MigrationTriggers.Timer | MigrationTriggers.SelfCall | MigrationTriggers.LowWasmMemory, settings.Triggers);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.TimerInterval);
        Assert.Equal(AtomicMode.WhenItFitsElseFailUpgrade, settings.Atomic);
        Assert.Equal(700, settings.AtomicBudgetSharePermille);
        Assert.Equal(MigrationSettings.Default.StartOnUpgrade, settings.StartOnUpgrade);
    }

    [Fact]
    public void A_fixed_chunk_and_an_empty_trigger_list_bind()
    {
        var settings = MigrationSettingsHocon.Load(Write("actormigrate.migration { step.chunk = 1000, triggers = [], start-on-upgrade = false }"));

        Assert.Equal(StepSizing.Fixed(1_000), settings.Sizing);
        Assert.Equal(MigrationTriggers.None, settings.Triggers);
        Assert.False(settings.StartOnUpgrade);
    }

    [Fact]
    public void Triggers_none_is_the_empty_list_and_a_section_elsewhere_binds_with_its_own_path_in_messages()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("a.b { triggers = none }\nc.d { step.chunk = 0 }");

        Assert.Equal(MigrationTriggers.None, MigrationSettingsHocon.Bind(config.GetConfig("a.b"), "a.b", "x.conf").Triggers);
        var e = Assert.Throws<ConfigurationException>(() => MigrationSettingsHocon.Bind(config.GetConfig("c.d"), "c.d", "x.conf"));
        Assert.Equal("x.conf: c.d.step.chunk = 0: expected a whole number in 1 .. 1000", e.Message);
    }

    [Theory]
    [InlineData("actormigrate.migration.polcy = dual-write", "unknown key actormigrate.migration.polcy", "policy")]
    [InlineData("actormigrate.migration.step.chunks = 20", "unknown key actormigrate.migration.step.chunks", "slice-share-permille")]
    public void An_unknown_key_is_refused_with_the_valid_keys_named(string hocon, string error, string validKey)
    {
        var e = Assert.Throws<ConfigurationException>(() => MigrationSettingsHocon.Load(Write(hocon)));
        Assert.Contains(error, e.Message);
        Assert.Contains(validKey, e.Message);
    }

    [Theory]
    [InlineData("actormigrate.migration.step.chunk = 0", "1 .. 1000")]
    [InlineData("actormigrate.migration.step.chunk = 1001", "1 .. 1000")]
    [InlineData("actormigrate.migration.step.chunk = twenty", "whole number")]
    [InlineData("actormigrate.migration.step.slice-share-permille = 0", "1 .. 1000")]
    [InlineData("actormigrate.migration.step.sizing = adaptive", "expected fixed or budget")]
    [InlineData("actormigrate.migration.policy = round-robin", "dual-write, pointer-routed")]
    [InlineData("actormigrate.migration.atomic = always", "when-it-fits-else-incremental")]
    [InlineData("actormigrate.migration.triggers = [heartbeat, cron]", "names cron")]
    [InlineData("actormigrate.migration.triggers = [self-call]", "self-call without heartbeat or timer")]
    [InlineData("actormigrate.migration.timer-interval = 0s", "positive interval")]
    [InlineData("actormigrate.migration.atomic-budget-share-permille = 1200", "1 .. 1000")]
    [InlineData("actormigrate.migration.start-on-upgrade = maybe", "true or false")]
    public void A_nonsense_value_is_refused_with_the_reason(string hocon, string reason)
    {
        var e = Assert.Throws<ConfigurationException>(() => MigrationSettingsHocon.Load(Write(hocon)));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_file_without_the_section_gives_the_defaults()
    {
        Assert.Equal(MigrationSettings.Default, MigrationSettingsHocon.Load(Write("actormigrate.canisters.seed = 3")));
    }
}
