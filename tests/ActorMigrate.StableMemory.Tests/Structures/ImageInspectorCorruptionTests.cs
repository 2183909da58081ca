using System.Diagnostics;
using ActorMigrate.StableMemory.Conformance;
using ActorMigrate.StableMemory.Inspection;
using Xunit.Abstractions;

namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>
/// Inspection of damaged images: every truncated, bit-flipped or random variant of the conformance images
/// gives either a report or an error that names what is wrong (a StableMemoryException, which the command
/// turns into exit code 2), never another exception, and finishes in bounded time.
/// </summary>
public sealed class ImageInspectorCorruptionTests(ITestOutputHelper output)
{
    private const int VariantsPerImage = 150;

    [ConformanceFact]
    public void Over_a_thousand_corrupted_variants_of_the_conformance_images_get_a_report_or_a_clear_error_in_bounded_time()
    {
        var random = new Random(20260526);
        var cases = ConformanceCase.Discover(ConformanceData.Directory!);
        var outcomes = new Dictionary<string, int>();
        var variants = 0;
        var slowest = TimeSpan.Zero;
        foreach (var testCase in cases)
        {
            var original = ConformanceRunner.Gunzip(testCase.ImagePath);
            var dumps = DumpsNamedIn(File.ReadAllLines(testCase.ExpectPath));
            for (var i = 0; i < VariantsPerImage; i++)
            {
                var (kind, variant) = Corrupt(original, random);
                var stopwatch = Stopwatch.StartNew();
                var outcome = $"{kind}: {Outcome(() => Flagged(ImageInspector.Inspect(variant)))}";
                foreach (var (id, key, value) in dumps)
                {
                    outcome += "; dump " + Outcome(() => ImageInspector.Dump(variant, id, key, value).Count());
                }

                slowest = stopwatch.Elapsed > slowest ? stopwatch.Elapsed : slowest;
                Assert.True(
                    stopwatch.Elapsed < TimeSpan.FromSeconds(10),
                    $"{testCase.Name} variant {i} ({kind}) took {stopwatch.Elapsed}");
                Assert.DoesNotContain("unexpected", outcome);
                outcomes[outcome.Split(';')[0]] = outcomes.GetValueOrDefault(outcome.Split(';')[0]) + 1;
                variants++;
            }
        }

        Assert.True(variants >= 1000, $"only {variants} variants");
        Assert.Contains(outcomes.Keys, k => k.EndsWith("error", StringComparison.Ordinal));
        Assert.Contains(outcomes.Keys, k => k.EndsWith("report", StringComparison.Ordinal));
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,5} {outcome}");
        }

        output.WriteLine($"slowest variant: {slowest.TotalMilliseconds:F0} ms");
    }

    /// <summary>A report that flags a memory counts as an error (the command exits 2), after checking each flag names it.</summary>
    private static void Flagged(InspectionReport report)
    {
        Assert.Equal(report.Memories.Count(m => m.Content.Kind == "corrupt"), report.Problems.Count);
        Assert.All(report.Problems, problem => Assert.False(string.IsNullOrWhiteSpace(problem)));
        if (report.Problems.Count > 0)
        {
            throw new CorruptMemoryException(report.Problems[0]);
        }
    }

    /// <summary>"report", "error" (a StableMemoryException or a usage error), or "unexpected …" for anything else.</summary>
    private static string Outcome(Action inspect)
    {
        try
        {
            inspect();
            return "report";
        }
        catch (StableMemoryException e) when (e.Message.Length > 0)
        {
            return "error";
        }
        catch (ArgumentException)
        {
            return "error";
        }
        catch (Exception e)
        {
            return $"unexpected {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>The structures an .expect file names, as dump arguments (memory id, key type, value type).</summary>
    private static List<(string Id, string? Key, string? Value)> DumpsNamedIn(string[] expect)
    {
        var dumps = new List<(string, string?, string?)>();
        foreach (var line in expect)
        {
            var words = line.Split(' ');
            switch (words[0])
            {
                case "btree" when words.Length == 6:
                    dumps.Add((words[1], words[2], words[3]));
                    break;
                case "vec" or "cell":
                    dumps.Add((words[1], null, words[2] == "u64" ? "u64" : null));
                    break;
                case "log":
                    dumps.Add((words[1], null, null));
                    break;
            }
        }

        return dumps;
    }

    /// <summary>A damaged copy: truncated, with bits flipped where headers live or anywhere, or random bytes.</summary>
    private static (string Kind, byte[] Variant) Corrupt(byte[] original, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return ("truncated", original[..random.Next(original.Length)]);
            case 1:
                var pages = Math.Max(1, original.Length / 65_536);
                return ("truncated to whole pages", original[..(random.Next(pages) * 65_536)]);
            case 2:
                return ("random", RandomBytes(random, 65_536 * random.Next(1, 4)));
            default:
                var variant = original.ToArray();
                var flips = random.Next(1, 9);
                for (var i = 0; i < flips; i++)
                {
                    // Mostly where headers are: the first bytes of page 0 and of each page (buckets, nodes).
                    var page = random.Next(Math.Max(1, variant.Length / 65_536));
                    var offset = random.Next(3) switch
                    {
                        0 => random.Next(Math.Min(variant.Length, 2_080 + 64)),
                        1 => (page * 65_536) + random.Next(Math.Min(128, variant.Length - (page * 65_536))),
                        _ => random.Next(variant.Length),
                    };
                    variant[offset] ^= (byte)(1 << random.Next(8));
                }

                return ("bit-flipped", variant);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (random.Next(2) == 0)
        {
            "MGR"u8.CopyTo(bytes); // get past the magic into the manager's checks
            bytes[3] = 1;
        }

        return bytes;
    }
}
