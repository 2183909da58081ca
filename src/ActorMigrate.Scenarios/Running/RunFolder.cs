namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// A run's folder: the scenario it runs (so --resume reads the same one), the SQLite journal, the progress
/// file (script position and round, rewritten after each durable round), the samples so far, and the reports.
/// </summary>
public sealed record RunFolder(string Path)
{
    public string Scenario => System.IO.Path.Combine(Path, "scenario.conf");

    public string Journal => System.IO.Path.Combine(Path, "journal.db");

    public string Progress => System.IO.Path.Combine(Path, "progress.json");

    public string Samples => System.IO.Path.Combine(Path, "samples.jsonl");

    public string Report => System.IO.Path.Combine(Path, "report.json");

    public string Chart => System.IO.Path.Combine(Path, "chart.svg");

    /// <summary>A fresh folder under <paramref name="parent"/> named by the UTC time (seconds, then a counter if taken).</summary>
    public static RunFolder Fresh(string parent, DateTime utcNow)
    {
        var stamp = utcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(parent, stamp);
        for (var n = 2; Directory.Exists(path); n++)
        {
            path = System.IO.Path.Combine(parent, $"{stamp}-{n}");
        }

        Directory.CreateDirectory(path);
        return new RunFolder(path);
    }
}
