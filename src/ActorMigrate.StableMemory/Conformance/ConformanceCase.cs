namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// One conformance case of shared/conformance/README.md: <c>NAME.ops</c> (the operations),
/// <c>NAME.image.gz</c> (the underlying memory the Rust library left) and <c>NAME.expect</c> (what each
/// structure holds), side by side in one folder.
/// </summary>
public sealed record ConformanceCase(string Name, string OpsPath)
{
    public string ImagePath => Path.Combine(Folder, Name + ".image.gz");

    public string ExpectPath => Path.Combine(Folder, Name + ".expect");

    private string Folder => Path.GetDirectoryName(OpsPath) ?? ".";

    /// <summary>Every case in <paramref name="directory"/> and its subfolders, ordered by path.</summary>
    public static IReadOnlyList<ConformanceCase> Discover(string directory) =>
        Directory.EnumerateFiles(directory, "*.ops", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => new ConformanceCase(Path.GetFileNameWithoutExtension(path), path))
            .ToList();
}
