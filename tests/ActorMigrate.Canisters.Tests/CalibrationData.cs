namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// Where canbench's published instruction counts are: the file named by ACTORMIGRATE_CALIBRATION, or
/// ../shared/calibration/canbench.tsv beside the repository. Never copied into the repository;
/// tests that need it are reported as skipped when it is absent.
/// </summary>
public static class CalibrationData
{
    public const string EnvironmentVariable = "ACTORMIGRATE_CALIBRATION";

    public static string? File { get; } = Find();

    public static string SkipReason =>
        $"calibration data not found: set {EnvironmentVariable} or place it at ../shared/calibration/canbench.tsv beside the repository";

    /// <summary>(benchmark, instructions) for every published row.</summary>
    public static IEnumerable<(string Benchmark, long Instructions)> Rows() =>
        System.IO.File.ReadLines(File ?? throw new InvalidOperationException(SkipReason))
            .Skip(1)
            .Select(line => line.Split('\t'))
            .Select(cells => (cells[1], long.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture)));

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.File.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "ActorMigrate.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "calibration", "canbench.tsv"));
                return System.IO.File.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs canbench.tsv; reported as skipped, with the reason, when it is absent.</summary>
public sealed class CalibrationFactAttribute : FactAttribute
{
    public CalibrationFactAttribute()
    {
        if (CalibrationData.File is null)
        {
            Skip = CalibrationData.SkipReason;
        }
    }
}
