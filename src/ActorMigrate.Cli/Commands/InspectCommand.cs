using System.ComponentModel;
using System.IO.Compression;
using ActorMigrate.StableMemory;
using ActorMigrate.StableMemory.Inspection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate inspect IMAGE</c>: what a raw stable memory image holds, read without changing it — the
/// MemoryManager and its virtual memories, and each memory's structure by magic and header; <c>--dump ID</c>
/// prints a structure's entries. Exit 0 with a sound report; 2 when the image is inconsistent (the message says
/// what and where; memories that can still be read are reported); 1 for a usage error.
/// </summary>
public sealed class InspectCommand : Command<InspectCommand.Settings>
{
    /// <summary>A decompressed .gz image larger than this is refused rather than exhausting memory.</summary>
    private const long MaxImageBytes = int.MaxValue - 65_536;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<IMAGE>")]
        [Description("The stable memory image: raw bytes, or gzip-compressed (.gz)")]
        public string Image { get; init; } = "";

        [CommandOption("--dump <ID>")]
        [Description("Print the entries of the structure in memory ID (raw, or a virtual memory 0–254)")]
        public string? Dump { get; init; }

        [CommandOption("--key <TYPE>")]
        [Description("Key type for a BTreeMap dump: " + DisplayCodecs.TypeNames)]
        public string? Key { get; init; }

        [CommandOption("--value <TYPE>")]
        [Description("Value type for a dump (hex when omitted, except for a BTreeMap): " + DisplayCodecs.TypeNames)]
        public string? Value { get; init; }

        [CommandOption("--log-data <ID>")]
        [Description("The data memory of a Log dumped by its index memory (default: the only memory holding Log data)")]
        public string? LogData { get; init; }

        [CommandOption("--json")]
        [Description("A machine-readable report")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        byte[] image;
        try
        {
            image = ReadImage(settings.Image);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Fail(2, $"cannot read {settings.Image}: {e.Message}");
        }

        try
        {
            if (settings.Dump is not null)
            {
                var entries = ImageInspector.Dump(image, settings.Dump, settings.Key, settings.Value, settings.LogData);
                Console.WriteLine(settings.Json
                    ? new JObject { ["memory"] = settings.Dump, ["entries"] = new JArray(entries) }.ToString(Formatting.Indented)
                    : string.Join(Environment.NewLine, entries));
                return 0;
            }

            var report = ImageInspector.Inspect(image);
            Console.WriteLine(settings.Json ? ToJson(settings.Image, report).ToString(Formatting.Indented) : ToText(settings.Image, report));
            foreach (var problem in report.Problems)
            {
                Console.Error.WriteLine($"error: {settings.Image}: {problem}");
            }

            return report.Problems.Count == 0 ? 0 : 2;
        }
        catch (ArgumentException e)
        {
            return Fail(1, e.Message);
        }
        catch (IncompatibleElementTypeException e)
        {
            return Fail(1, $"{e.Message} (name the stored type with --value)");
        }
        catch (StableMemoryException e)
        {
            return Fail(2, $"{settings.Image}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException or OverflowException or FormatException)
        {
            // Bytes no valid structure holds can still reach a decoder's own checks; report them as bad input.
            return Fail(2, $"{settings.Image}: unreadable structure: {e.Message}");
        }
    }

    private static byte[] ReadImage(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var isGzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        if (!isGzip)
        {
            return file.Length <= MaxImageBytes
                ? File.ReadAllBytes(path)
                : throw new IOException($"the image is {file.Length} bytes; inspect reads images up to {MaxImageBytes} bytes");
        }

        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            if (output.Length + read > MaxImageBytes)
            {
                throw new IOException($"the decompressed image exceeds {MaxImageBytes} bytes");
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return exitCode;
    }

    private static string ToText(string path, InspectionReport report)
    {
        var lines = new List<string> { $"image {path}: {report.SizeInBytes} bytes, {report.SizeInPages} pages" };
        lines.Add(report.Manager is { } manager
            ? $"MemoryManager v{manager.LayoutVersion}: buckets of {manager.BucketSizeInPages} pages, {manager.AllocatedBuckets} allocated"
            : "no MemoryManager (no \"MGR\" magic at offset 0)");
        foreach (var memory in report.Memories)
        {
            var buckets = memory.Buckets is null ? "" : $", buckets {string.Join(',', memory.Buckets)}";
            lines.Add($"memory {memory.Id}: {memory.SizeInPages} pages{buckets}: {memory.Content.Summary}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static JObject ToJson(string path, InspectionReport report) =>
        new()
        {
            ["image"] = path,
            ["sizeInBytes"] = report.SizeInBytes,
            ["sizeInPages"] = report.SizeInPages,
            ["memoryManager"] = report.Manager is { } manager
                ? new JObject
                {
                    ["layoutVersion"] = manager.LayoutVersion,
                    ["bucketSizeInPages"] = manager.BucketSizeInPages,
                    ["allocatedBuckets"] = manager.AllocatedBuckets,
                }
                : JValue.CreateNull(),
            ["memories"] = new JArray(report.Memories.Select(memory => new JObject
            {
                ["id"] = memory.Id,
                ["sizeInPages"] = memory.SizeInPages,
                ["buckets"] = memory.Buckets is null ? JValue.CreateNull() : new JArray(memory.Buckets.Select(b => (int)b)),
                ["kind"] = memory.Content.Kind,
                ["summary"] = memory.Content.Summary,
                ["details"] = new JObject(memory.Content.Details.Select(d => new JProperty(d.Key, JToken.FromObject(d.Value)))),
            })),
            ["problems"] = new JArray(report.Problems),
        };
}
