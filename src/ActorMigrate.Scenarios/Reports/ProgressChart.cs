using System.Globalization;
using System.Net;
using System.Text;

namespace ActorMigrate.Scenarios.Reports;

/// <summary>
/// chart.svg: heap bytes and stable bytes (left axis) and migration progress in percent (right axis)
/// over rounds, with a dashed line where each script event started. Plain SVG text, no dependency.
/// </summary>
public static class ProgressChart
{
    private const int Width = 960, Height = 420, Left = 80, Right = 60, Top = 40, Bottom = 50;
    private const int MaxPoints = 1_200;

    public static string Render(ScenarioReport report)
    {
        var samples = Thin(report.Samples);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="20" font-size="14">{Escape($"{report.Scenario}: {report.Status}, {report.Rounds:N0} rounds, {report.RecordsChecked:N0} records checked, lost {report.Lost}")}</text>""").Append('\n');
        if (samples.Count == 0)
        {
            return svg.Append("</svg>\n").ToString();
        }

        var first = samples[0].Round;
        var last = Math.Max(samples[^1].Round, first + 1);
        var maxBytes = Math.Max(1, samples.Max(s => Math.Max(s.HeapBytes, s.StableBytes)));
        double X(ulong round) => Left + (double)(round - first) / (last - first) * (Width - Left - Right);
        double YBytes(long bytes) => Height - Bottom - (double)bytes / maxBytes * (Height - Top - Bottom);
        double YPercent(double percent) => Height - Bottom - percent / 100 * (Height - Top - Bottom);

        // Axes and gridlines.
        for (var i = 0; i <= 4; i++)
        {
            var y = Height - Bottom - i * (Height - Top - Bottom) / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{y:F1}" x2="{Width - Right}" y2="{y:F1}" stroke="#e0e0e0"/>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{y + 4:F1}" text-anchor="end">{Escape(Bytes(maxBytes * i / 4))}</text>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - Right + 6}" y="{y + 4:F1}">{i * 25}%</text>""").Append('\n');
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 12}" text-anchor="middle">round</text>""").Append('\n');
        for (var i = 0; i <= 5; i++)
        {
            var round = first + (last - first) * (ulong)i / 5;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{X(round):F1}" y="{Height - Bottom + 16}" text-anchor="middle">{round:N0}</text>""").Append('\n');
        }

        foreach (var e in report.Events.Where(e => e.StartRound >= first && e.StartRound <= last && !e.Event.StartsWith("wait", StringComparison.Ordinal)))
        {
            var x = X(e.StartRound);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:F1}" y1="{Top}" x2="{x:F1}" y2="{Height - Bottom}" stroke="#999" stroke-dasharray="4 3"><title>{Escape($"round {e.StartRound}: {e.Event} ({e.Outcome})")}</title></line>""").Append('\n');
        }

        Series(svg, samples, s => X(s.Round), s => YBytes(s.HeapBytes), "#d62728", "heap bytes");
        Series(svg, samples, s => X(s.Round), s => YBytes(s.StableBytes), "#1f77b4", "stable bytes");
        Series(svg, samples, s => X(s.Round), s => YPercent(s.Total == 0 ? 0 : Math.Min(100, 100.0 * s.Migrated / s.Total)), "#2ca02c", "migrated %");

        var legend = new[] { ("#d62728", "heap bytes"), ("#1f77b4", "stable bytes"), ("#2ca02c", "migrated / total (right axis)"), ("#999", "script event") };
        for (var i = 0; i < legend.Length; i++)
        {
            var x = Left + 10 + i * 200;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x}" y1="{Top - 8}" x2="{x + 20}" y2="{Top - 8}" stroke="{legend[i].Item1}" stroke-width="2"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 26}" y="{Top - 4}">{Escape(legend[i].Item2)}</text>""").Append('\n');
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static void Series(StringBuilder svg, IReadOnlyList<RoundSample> samples, Func<RoundSample, double> x, Func<RoundSample, double> y, string colour, string name)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{colour}" stroke-width="1.5" points=" """);
        foreach (var s in samples)
        {
            svg.Append(CultureInfo.InvariantCulture, $"{x(s):F1},{y(s):F1} ");
        }

        svg.Append(CultureInfo.InvariantCulture, $"\"><title>{Escape(name)}</title></polyline>\n");
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
