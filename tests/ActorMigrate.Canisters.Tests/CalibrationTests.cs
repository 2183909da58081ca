using ActorMigrate.Canisters.Calibration;
using Xunit.Abstractions;

namespace ActorMigrate.Canisters.Tests;

public sealed class CalibrationTests(ITestOutputHelper output)
{
    [CalibrationFact]
    public void Every_published_canbench_row_is_metered_within_15_percent()
    {
        var failures = new List<string>();
        foreach (var (benchmark, published) in CalibrationData.Rows())
        {
            var metered = CalibrationWorkloads.Measure(benchmark);
            var error = (metered - published) / (double)published;
            output.WriteLine($"{benchmark,-45} {metered,14} {published,14} {error,8:P2}");
            if (Math.Abs(error) > 0.15)
            {
                failures.Add($"{benchmark}: metered {metered}, published {published} ({error:P1})");
            }
        }

        Assert.Empty(failures);
    }

    [CalibrationFact]
    public void The_io_chunk_rows_with_1_and_1k_chunks_match_the_published_costs_within_1_percent()
    {
        foreach (var (benchmark, published) in CalibrationData.Rows().Where(r => r.Benchmark.Contains("_chunks_stable_1") && !r.Benchmark.EndsWith("1m", StringComparison.Ordinal)))
        {
            var metered = CalibrationWorkloads.Measure(benchmark);
            Assert.InRange((metered - published) / (double)published, -0.01, 0.01);
        }
    }

    [Fact]
    public void Stable_writes_cost_20_plus_1_per_byte_plus_1000_per_newly_dirtied_page_and_the_wasm_call_overhead()
    {
        var costs = new CostModel();
        var expected = costs.WasmInstructionsPerSystemCall + costs.StableGrow        // grow
            + (100L << 20) + costs.WasmInstructionsPerSystemCall + 20 + 25_600 * 1_000; // one 100 MiB write
        var measured = CalibrationWorkloads.Measure("write_chunks_stable_1");
        Assert.Equal(expected + costs.CheapSystemCall, measured); // the closing performance_counter call
    }

    [Fact]
    public void On_a_system_subnet_dirtying_pages_is_free()
    {
        var application = CalibrationWorkloads.Measure("write_chunks_stable_1k");
        var system = CalibrationWorkloads.Measure("write_chunks_stable_1k", new CostModel().ForSystemSubnet());
        Assert.Equal(25_600 * 1_000, application - system);
    }

    [Fact]
    public void A_name_outside_the_grammar_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CalibrationWorkloads.Parse("btreemap_v2_insert_u64_float"));
    }
}
