namespace ActorMigrate.Tests.Shared;

/// <summary>
/// Where the Rust library's conformance images are: the folder named by ACTORMIGRATE_CONFORMANCE, or
/// ../shared/conformance beside the repository. Linked into each test project that needs them. They are never copied into the repository, so a
/// user's clone may not have them; tests that need them are then reported as skipped.
/// </summary>
public static class ConformanceData
{
    public const string EnvironmentVariable = "ACTORMIGRATE_CONFORMANCE";

    /// <summary>The conformance folder (holding stable-structures-main/ and upstream/), or null when absent.</summary>
    public static string? Directory { get; } = Find();

    public static string SkipReason =>
        $"conformance images not found: set {EnvironmentVariable} or place them at ../shared/conformance beside the repository";

    /// <summary>A path inside the conformance folder.</summary>
    public static string PathOf(params string[] parts) =>
        Path.Combine([Directory ?? throw new InvalidOperationException(SkipReason), .. parts]);

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        // Walk up from the test binary to the repository root (the folder with ActorMigrate.sln).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMigrate.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance"));
                return System.IO.Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs the conformance images; reported as skipped, with the reason, when they are absent.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (ConformanceData.Directory is null)
        {
            Skip = ConformanceData.SkipReason;
        }
    }
}

/// <summary>A theory over conformance data; skipped, with the reason, when the images are absent.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (ConformanceData.Directory is null)
        {
            Skip = ConformanceData.SkipReason;
        }
    }
}
