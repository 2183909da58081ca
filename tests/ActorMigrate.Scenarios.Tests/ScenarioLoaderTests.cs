using ActorMigrate.Actors.Configuration;
using ActorMigrate.Migration;
using ActorMigrate.Scenarios.Definition;
using ActorMigrate.Scenarios.Loading;

namespace ActorMigrate.Scenarios.Tests;

/// <summary>Scenario files: what a good one binds to, and every kind of bad input refused with the file, the line, the key and the reason.</summary>
public sealed class ScenarioLoaderTests
{
    private const string Good = """
        scenario {
          name = small
          seed = 9
          journal = none
          canisters = [ { name = accounts, module = accounts-v1 } ]
          data { records = 100, scale = 2 }
          traffic { calls-per-round = 2, put = 1, overwrite = 0, remove = 0, get = 1 }
          script = [
            { upgrade = accounts-v2 }
            { upgrade = accounts-v3, migration { policy = pointer-routed, step.sizing = budget, step.slice-share-permille = 250, triggers = [heartbeat, self-call] } }
            { wait-until-phase = completed, max-rounds = 300 }
          ]
        }
        """;

    private static ConfigurationException Refused(string text) =>
        Assert.Throws<ConfigurationException>(() => ScenarioLoader.Load(text, "bad.conf"));

    [Fact]
    public void A_good_scenario_binds_every_key()
    {
        var s = ScenarioLoader.Load(Good, "good.conf");

        Assert.Equal(("small", 9, ScenarioJournal.None), (s.Name, s.Seed, s.Journal));
        Assert.Equal(new DataShape(100, 2, 2_000, 200), s.Data);
        Assert.Equal(new TrafficMix(2, 1, 0, 0, 1), s.Traffic);
        Assert.Equal(9UL, s.Subnet.Seed);
        var v3 = Assert.IsType<UpgradeEvent>(s.Script[1]);
        Assert.Equal(RoutingPolicyKind.PointerRouted, v3.Migration!.Policy);
        Assert.True(v3.Migration.Sizing.BudgetDriven);
        Assert.Equal(250, v3.Migration.Sizing.SliceSharePermille);
        Assert.Equal(MigrationTriggers.Heartbeat | MigrationTriggers.SelfCall, v3.Migration.Triggers);
        Assert.Equal(new WaitUntilPhaseEvent(null, MigrationPhase.Completed, 300), s.Script[2]);
    }

    [Theory]
    [MemberData(nameof(ExampleScenarios.Names), MemberType = typeof(ExampleScenarios))]
    public void Every_example_scenario_loads(string name) => Assert.NotEmpty(ExampleScenarios.Load(name).Script);

    [Fact]
    public void Malformed_hocon_is_reported_with_the_file_the_line_and_the_key()
    {
        var e = Refused(Good.Replace("data { records = 100, scale = 2 }", "data {\n records = \n }", StringComparison.Ordinal));

        Assert.Contains("bad.conf", e.Message);
        Assert.Contains("line 7", e.Message);
        Assert.Contains("scenario.data.records", e.Message);
    }

    [Fact]
    public void An_unclosed_brace_is_reported_with_its_line()
    {
        var e = Refused(Good.Replace("traffic { calls-per-round = 2, put = 1, overwrite = 0, remove = 0, get = 1 }", "traffic { calls-per-round = 2", StringComparison.Ordinal));

        // The brace left open is the outer one: the inner object's "}" closed traffic's instead.
        Assert.Contains("bad.conf: line 1: '{' is never closed", e.Message);
        Assert.Contains("(key scenario)", e.Message);
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_valid_ones()
    {
        var e = Refused(Good.Replace("put = 1,", "puts = 1,", StringComparison.Ordinal));

        Assert.Contains("unknown key scenario.traffic.puts", e.Message);
        Assert.Contains("calls-per-round, get, overwrite, put, remove", e.Message);
        Assert.Contains("line 7", e.Message);
    }

    [Fact]
    public void A_negative_record_count_is_refused_with_the_reason()
    {
        var e = Refused(Good.Replace("records = 100", "records = -5", StringComparison.Ordinal));

        Assert.Contains("scenario.data.records = -5", e.Message);
        Assert.Contains("cannot be negative", e.Message);
    }

    [Fact]
    public void A_negative_rate_is_refused() =>
        Assert.Contains("scenario.traffic.calls-per-round = -1", Refused(Good.Replace("calls-per-round = 2", "calls-per-round = -1", StringComparison.Ordinal)).Message);

    [Fact]
    public void A_zero_limit_is_refused_by_the_subnet_settings_binding_with_its_line()
    {
        var e = Refused(Good + "\nactormigrate.canisters {\n  limits {\n    max-instructions-per-slice = 0\n  }\n}\n");

        Assert.Contains("max-instructions-per-slice = 0", e.Message);
        Assert.Contains("limit of zero", e.Message);
        Assert.Contains("line 16", e.Message);
    }

    [Fact]
    public void An_unknown_subnet_key_is_named_with_the_valid_ones() =>
        Assert.Contains("unknown key actormigrate.canisters.limits.max-instructions", Refused(Good + "\nactormigrate.canisters.limits.max-instructions = 5\n").Message);

    [Fact]
    public void Limits_override_the_engine_settings()
    {
        var s = ScenarioLoader.Load(Good + "\nactormigrate.canisters.limits.max-instructions-per-install-code = 60000000\n", "good.conf");

        Assert.Equal(60_000_000, s.Subnet.Limits.MaxInstructionsPerInstallCode);
    }

    [Fact]
    public void An_unknown_module_version_is_refused_with_the_known_ones()
    {
        var e = Refused(Good.Replace("upgrade = accounts-v2", "upgrade = accounts-v4", StringComparison.Ordinal));

        Assert.Contains("scenario.script[0].upgrade = accounts-v4: unknown module", e.Message);
        Assert.Contains("accounts-v1, accounts-v2, accounts-v3, accounts-v3-bug4626", e.Message);
        Assert.Contains("line 9", e.Message);
    }

    [Fact]
    public void An_event_with_two_actions_is_refused() =>
        Assert.Contains("exactly one of", Refused(Good.Replace("{ upgrade = accounts-v2 }", "{ upgrade = accounts-v2, wait-rounds = 3 }", StringComparison.Ordinal)).Message);

    [Fact]
    public void An_event_naming_an_unknown_canister_is_refused_with_the_canisters() =>
        Assert.Contains("no such canister; the canisters are accounts",
            Refused(Good.Replace("{ upgrade = accounts-v2 }", "{ upgrade = accounts-v2, canister = ledger }", StringComparison.Ordinal)).Message);

    [Fact]
    public void A_chunk_above_the_nns_dapp_maximum_is_refused_by_the_migration_settings_binder_with_its_line()
    {
        var e = Refused(Good.Replace("step.sizing = budget, step.slice-share-permille = 250", "step.chunk = 5000", StringComparison.Ordinal));

        Assert.Contains("scenario.script[1].migration.step.chunk = 5000: expected a whole number in 1 .. 1000", e.Message);
        Assert.StartsWith("bad.conf: line 10: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_migration_conf_does_not_have_is_refused_with_the_keys_it_has()
    {
        var e = Refused(Good.Replace("policy = pointer-routed,", "policy = pointer-routed, chunk = 20,", StringComparison.Ordinal));

        Assert.Contains("unknown key scenario.script[1].migration.chunk; the keys there are atomic, atomic-budget-share-permille, policy, start-on-upgrade, step, timer-interval, triggers", e.Message);
        Assert.StartsWith("bad.conf: line 10: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_migration_block_binds_as_hocon_migration_conf_does_and_none_means_no_triggers()
    {
        var s = ScenarioLoader.Load(Good.Replace("triggers = [heartbeat, self-call]", "triggers = none", StringComparison.Ordinal), "good.conf");
        var block = """
            actormigrate.migration { policy = pointer-routed, step.sizing = budget, step.slice-share-permille = 250, triggers = none }
            """;

        var v3 = Assert.IsType<UpgradeEvent>(s.Script[1]).Migration!;

        Assert.Equal(MigrationTriggers.None, v3.Triggers);
        Assert.Equal(MigrationSettingsHocon.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString(block)), v3);
    }

    [Fact]
    public void Migration_settings_for_a_module_without_a_migration_are_refused() =>
        Assert.Contains("accounts-v2 takes none",
            Refused(Good.Replace("{ upgrade = accounts-v2 }", "{ upgrade = accounts-v2, migration { step.chunk = 5 } }", StringComparison.Ordinal)).Message);

    [Fact]
    public void A_key_space_too_small_for_the_records_is_refused() =>
        Assert.Contains("cannot hold", Refused(Good.Replace("scale = 2", "scale = 2, key-space = 10", StringComparison.Ordinal)).Message);

    [Fact]
    public void An_unknown_journal_is_refused_with_the_choices() =>
        Assert.Contains("must be one of sqlite, memory, none", Refused(Good.Replace("journal = none", "journal = postgres", StringComparison.Ordinal)).Message);

    [Fact]
    public void A_scenario_without_canisters_is_refused() =>
        Assert.Contains("at least one canister", Refused(Good.Replace("canisters = [ { name = accounts, module = accounts-v1 } ]", "", StringComparison.Ordinal)).Message);

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var e = Assert.Throws<ConfigurationException>(() => ScenarioLoader.LoadFile("/nonexistent/scenario.conf"));

        Assert.Contains("/nonexistent/scenario.conf: cannot read the scenario", e.Message);
    }
}
