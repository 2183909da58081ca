using System.Globalization;
using System.Net;
using System.Text;

namespace ActorMigrate.Scenarios.Reports;

/// <summary>
/// chart.svg: three panels over the same rounds — heap bytes, stable bytes, and migration progress
/// (migrated / total) — each on its own scale (a heap of a few MiB next to a MemoryManager's tens of MiB
/// would otherwise be a flat line), with a dashed line where each script event started. Plain SVG text.
/// </summary>
public static class ProgressChart
{
    private const int Width = 960, Left = 90, Right = 30, Top = 50, PanelHeight = 130, Gap = 40, Bottom = 50;
    private const int MaxPoints = 1_200;

    private sealed record Panel(string Title, string Colour, Func<RoundSample, double> Value, Func<double, string> Label, double Max);

    public static string Render(ScenarioReport report)
    {
        var samples = Thin(report.Samples);
        var panels = new[]
        {
            new Panel("heap bytes (high-water mark: never shrinks until an upgrade discards the heap)", "#d62728", s => s.HeapBytes, v => Bytes((long)v), Math.Max(1, samples.Select(s => (double)s.HeapBytes).DefaultIfEmpty(1).Max())),
            new Panel("stable memory bytes", "#1f77b4", s => s.StableBytes, v => Bytes((long)v), Math.Max(1, samples.Select(s => (double)s.StableBytes).DefaultIfEmpty(1).Max())),
            new Panel("migrated / total", "#2ca02c", s => s.Total == 0 ? 0 : Math.Min(100, 100.0 * s.Migrated / s.Total), v => $"{v:F0}%", 100),
        };
        var height = Top + (panels.Length * (PanelHeight + Gap)) + Bottom - Gap;
        var svg = new StringBuilder();
        void Add(FormattableString line) => svg.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Add($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" font-family="sans-serif" font-size="12">""");
        Add($"""<rect width="{Width}" height="{height}" fill="white"/>""");
        Add($"""<text x="{Left}" y="22" font-size="15">{Escape($"{report.Scenario}: {report.Status}, {report.Rounds:N0} rounds, {report.Steps:N0} steps, {report.RecordsChecked:N0} records checked, lost {report.Lost:N0}")}</text>""");
        if (samples.Count == 0)
        {
            return svg.Append("</svg>\n").ToString();
        }

        var first = samples[0].Round;
        var last = Math.Max(samples[^1].Round, first + 1);
        double X(ulong round) => Left + ((double)(round - first) / (last - first) * (Width - Left - Right));
        for (var p = 0; p < panels.Length; p++)
        {
            var panel = panels[p];
            var top = Top + (p * (PanelHeight + Gap));
            var bottom = top + PanelHeight;
            double Y(double value) => bottom - (value / panel.Max * PanelHeight);
            Add($"""<text x="{Left}" y="{top - 8}" fill="{panel.Colour}">{Escape(panel.Title)}</text>""");
            for (var i = 0; i <= 2; i++)
            {
                var value = panel.Max * i / 2;
                Add($"""<line x1="{Left}" y1="{Y(value):F1}" x2="{Width - Right}" y2="{Y(value):F1}" stroke="#e0e0e0"/>""");
                Add($"""<text x="{Left - 6}" y="{Y(value) + 4:F1}" text-anchor="end">{Escape(panel.Label(value))}</text>""");
            }

            foreach (var e in report.Events.Where(e => e.StartRound >= first && e.StartRound <= last && !e.Event.StartsWith("wait", StringComparison.Ordinal)))
            {
                var x = X(e.StartRound);
                Add($"""<line x1="{x:F1}" y1="{top}" x2="{x:F1}" y2="{bottom}" stroke="#999" stroke-dasharray="4 3"><title>{Escape($"round {e.StartRound}: {e.Event} ({e.Outcome})")}</title></line>""");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{panel.Colour}" stroke-width="1.5" points=" """);
            foreach (var s in samples)
            {
                svg.Append(CultureInfo.InvariantCulture, $"{X(s.Round):F1},{Y(panel.Value(s)):F1} ");
            }

            Add($"\"><title>{Escape(panel.Title)}</title></polyline>");
        }

        var axis = Top + (panels.Length * (PanelHeight + Gap)) - Gap;
        for (var i = 0; i <= 5; i++)
        {
            var round = first + ((last - first) * (ulong)i / 5);
            Add($"""<text x="{X(round):F1}" y="{axis + 16}" text-anchor="middle">{round:N0}</text>""");
        }

        Add($"""<text x="{(Left + Width - Right) / 2}" y="{axis + 36}" text-anchor="middle">round (dashed: a script event — hover for what it did)</text>""");
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>At most <see cref="MaxPoints"/> samples, evenly spread, the last one kept.</summary>
    private static List<RoundSample> Thin(IReadOnlyList<RoundSample> samples)
    {
        if (samples.Count <= MaxPoints)
        {
            return [.. samples];
        }

        var every = (samples.Count + MaxPoints - 1) / MaxPoints;
        var thinned = samples.Where((_, i) => i % every == 0).ToList();
        if (thinned[^1] != samples[^1])
        {
            thinned.Add(samples[^1]);
        }

        return thinned;
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):F1} KiB",
        _ => $"{bytes} B",
    };

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
