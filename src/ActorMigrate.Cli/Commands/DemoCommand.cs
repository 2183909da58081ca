using System.ComponentModel;
using System.Text;
using ActorMigrate.StableMemory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ActorMigrate.Cli.Commands;

/// <summary>
/// <c>actormigrate demo [--out FILE]</c>: builds a small canister-like stable memory with the
/// MemoryManager, loads it back as a post_upgrade would and prints its layout; optionally saves the raw
/// image (the bytes a canister's stable memory would hold).
/// </summary>
public sealed class DemoCommand : Command<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--out <FILE>")]
        [Description("Save the raw stable-memory image to FILE")]
        public string? Out { get; init; }

        [CommandOption("--bucket-size <PAGES>")]
        [Description("Bucket size in 64 KiB pages (the Rust library's default is 128; the demo uses 4 to keep the image small)")]
        [DefaultValue((ushort)4)]
        public ushort BucketSizeInPages { get; init; } = 4;

        [CommandOption("--accounts <N>")]
        [Description("Accounts in the pre_upgrade blob")]
        [DefaultValue(20_000)]
        public int Accounts { get; init; } = 20_000;

        public override ValidationResult Validate() =>
            BucketSizeInPages == 0 ? ValidationResult.Error("--bucket-size must be at least 1")
            : Accounts < 0 ? ValidationResult.Error("--accounts must not be negative")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var built = DemoCanister.Build(settings.BucketSizeInPages, settings.Accounts);

        // Read everything back through a freshly loaded manager, as post_upgrade would.
        var manager = MemoryManager.Load(built.Memory);
        var blob = new StableReader(manager.Get(DemoCanister.UpgradeMemory)).ReadLengthPrefixed();
        var blobMatches = blob.AsSpan().SequenceEqual(DemoCanister.UpgradeBlob(settings.Accounts));
        var labelValid = DemoCanister.LabelIsValid(manager.Get(DemoCanister.LabelMemory));

        AnsiConsole.MarkupLine("[bold]MemoryManager layout[/] (layout version 1, header and bucket table in page 0)");
        AnsiConsole.WriteLine($"bucket size: {manager.BucketSizeInPages} pages ({WasmPage.ToBytes(manager.BucketSizeInPages):N0} bytes)");
        AnsiConsole.WriteLine($"buckets allocated: {manager.AllocatedBuckets} of 32,768");
        AnsiConsole.WriteLine($"underlying memory: {manager.Memory.Size} pages ({manager.Memory.SizeInBytes():N0} bytes)");

        var table = new Table().AddColumns("memory", "size (pages)", "buckets", "holds");
        table.AddRow("0", manager.MemorySize(0).ToString(), Buckets(manager, 0),
            $"schema label {Encoding.ASCII.GetString(DemoCanister.Label)} + SHA-256: {(labelValid ? "valid" : "INVALID")}");
        table.AddRow("1", manager.MemorySize(1).ToString(), Buckets(manager, 1),
            $"upgrade blob, {blob.Length:N0} bytes: {(blobMatches ? "intact" : "CORRUPT")}");
        table.AddRow("2", manager.MemorySize(2).ToString(), Buckets(manager, 2), "pages for a future map");
        AnsiConsole.Write(table);

        if (settings.Out is { } path)
        {
            var image = manager.Memory.ToArray();
            File.WriteAllBytes(path, image);
            AnsiConsole.MarkupLineInterpolated($"image saved to {path} ({image.Length:N0} bytes)");
        }

        return labelValid && blobMatches ? 0 : 1;
    }

    private static string Buckets(MemoryManager manager, int id)
    {
        var buckets = manager.BucketsOf(id);
        return buckets.Count == 0 ? "-" : string.Join(", ", buckets.Select(b => $"{b} (page {1 + (ulong)b * manager.BucketSizeInPages})"));
    }
}
