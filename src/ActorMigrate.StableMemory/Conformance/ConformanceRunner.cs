using System.IO.Compression;
using System.Reflection;

namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Runs the conformance cases and upstream goldens of shared/conformance/README.md against the port.
/// A case passes when replaying its <c>.ops</c> on an empty memory gives exactly its image and reading
/// the image back (without replay) gives exactly its <c>.expect</c>. Structures are found as the
/// <see cref="IConformanceDriver"/>s and goldens as the <see cref="IGoldenCheck"/>s in this assembly; a
/// case or golden nobody handles fails as "not ported yet". Bad input fails its case, never the run.
/// </summary>
public sealed class ConformanceRunner
{
    /// <summary>Goldens are the files of every folder with this name.</summary>
    public const string UpstreamFolder = "upstream";

    private readonly Dictionary<string, IConformanceDriver> drivers;
    private readonly Dictionary<string, IGoldenCheck> goldenChecks;

    /// <summary>A runner with every driver and golden check this assembly defines.</summary>
    public ConformanceRunner()
        : this(Implementations<IConformanceDriver>(), Implementations<IGoldenCheck>())
    {
    }

    public ConformanceRunner(IEnumerable<IConformanceDriver> drivers, IEnumerable<IGoldenCheck> goldenChecks)
    {
        this.drivers = drivers.ToDictionary(d => d.Keyword, StringComparer.Ordinal);
        this.goldenChecks = goldenChecks.ToDictionary(g => g.FileName, StringComparer.Ordinal);
    }

    /// <summary>The keywords a driver handles (btree, cell, …).</summary>
    public IReadOnlyCollection<string> PortedStructures => drivers.Keys;

    /// <summary>Every case and golden in <paramref name="directory"/> and its subfolders, cases first, each named by its path relative to it.</summary>
    public IReadOnlyList<CaseResult> RunDirectory(string directory)
    {
        var results = new List<CaseResult>();
        foreach (var testCase in ConformanceCase.Discover(directory))
        {
            results.Add(Run(testCase) with { Name = Relative(directory, testCase.OpsPath[..^".ops".Length]) });
        }

        foreach (var golden in DiscoverGoldens(directory))
        {
            results.Add(RunGolden(golden) with { Name = Relative(directory, golden) });
        }

        return results;
    }

    /// <summary>The files of every <c>upstream</c> folder in or under <paramref name="directory"/> (itself included).</summary>
    public static IReadOnlyList<string> DiscoverGoldens(string directory)
    {
        var folders = Directory.EnumerateDirectories(directory, UpstreamFolder, SearchOption.AllDirectories).ToList();
        if (Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))) == UpstreamFolder)
        {
            folders.Add(directory);
        }

        return folders.SelectMany(folder => Directory.EnumerateFiles(folder)).Order(StringComparer.Ordinal).ToList();
    }

    public CaseResult Run(ConformanceCase testCase)
    {
        var name = testCase.Name;
        try
        {
            var ops = File.ReadAllLines(testCase.OpsPath);
            if (!File.Exists(testCase.ImagePath))
            {
                return CaseResult.Fail(name, $"missing {Path.GetFileName(testCase.ImagePath)}");
            }

            if (!File.Exists(testCase.ExpectPath))
            {
                return CaseResult.Fail(name, $"missing {Path.GetFileName(testCase.ExpectPath)}");
            }

            SparseMemory replayed;
            try
            {
                replayed = ConformanceReplay.Run(ops, drivers);
            }
            catch (ConformanceLineException e)
            {
                return CaseResult.Fail(name, $"{name}.ops {e.Message}");
            }

            var image = Gunzip(testCase.ImagePath);
            var imageDifference = ImageComparison.FirstDifference(replayed.ToArray(), image);
            if (imageDifference is not null)
            {
                return CaseResult.Fail(name, $"replayed image: {imageDifference}");
            }

            string? expectDifference;
            try
            {
                expectDifference = ExpectCheck.Run(image, File.ReadAllLines(testCase.ExpectPath), drivers);
            }
            catch (ConformanceLineException e)
            {
                return CaseResult.Fail(name, $"{name}.expect {e.Message}");
            }

            return expectDifference is null ? CaseResult.Pass(name) : CaseResult.Fail(name, $"{name}.{expectDifference}");
        }
        catch (StructureNotPortedException e)
        {
            return CaseResult.Fail(name, e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return CaseResult.Fail(name, $"cannot read the case: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in the port or a driver fails this case; it never stops the run.
            return CaseResult.Fail(name, $"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The underlying memory after replaying <paramref name="opsLines"/> on an empty memory.</summary>
    /// <exception cref="ConformanceLineException">A line could not be carried out (the message names it).</exception>
    /// <exception cref="StructureNotPortedException">A line names a structure without a driver.</exception>
    public SparseMemory Replay(IReadOnlyList<string> opsLines) => ConformanceReplay.Run(opsLines, drivers);

    public CaseResult RunGolden(string path)
    {
        var name = Path.GetFileName(path);
        if (!goldenChecks.TryGetValue(name, out var check))
        {
            return CaseResult.Fail(name, $"golden '{name}' is not ported yet: no IGoldenCheck reads it");
        }

        try
        {
            var bytes = path.EndsWith(".gz", StringComparison.Ordinal) ? Gunzip(path) : File.ReadAllBytes(path);
            var difference = check.Check(bytes);
            return difference is null ? CaseResult.Pass(name) : CaseResult.Fail(name, difference);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return CaseResult.Fail(name, $"cannot read the golden: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CaseResult.Fail(name, $"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    public static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static string Relative(string directory, string path) => Path.GetRelativePath(directory, path).Replace('\\', '/');

    private static IEnumerable<T> Implementations<T>() =>
        typeof(T).Assembly.GetTypes()
            .Where(t => typeof(T).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false })
            .Where(t => t.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (T)Activator.CreateInstance(t, nonPublic: true)!);
}
