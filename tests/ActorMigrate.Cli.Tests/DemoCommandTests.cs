using ActorMigrate.StableMemory;

namespace ActorMigrate.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_exits_0_and_prints_the_layout_table_with_its_three_memories()
    {
        var run = (await CliRun.Of("demo")).ExpectExitCode(0);

        Assert.Contains("MemoryManager layout", run.Out, StringComparison.Ordinal);
        Assert.Contains("bucket size: 4 pages (262,144 bytes)", run.Out, StringComparison.Ordinal);
        Assert.Contains("schema label", run.Out, StringComparison.Ordinal);
        Assert.Contains(": valid", run.Out, StringComparison.Ordinal);
        Assert.Contains(": intact", run.Out, StringComparison.Ordinal);
        Assert.Contains("pages for a future map", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("image saved", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task The_image_demo_writes_with_out_is_loaded_by_MemoryManager_Load_with_the_same_layout()
    {
        using var folder = new TempFolder();
        var path = folder.File("demo.img");

        var run = (await CliRun.Of("demo", "--bucket-size", "2", "--out", path)).ExpectExitCode(0);
        var image = File.ReadAllBytes(path);
        var manager = MemoryManager.Load(SparseMemory.FromImage(image));

        Assert.Contains($"image saved to {path} ({image.Length:N0} bytes)", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, manager.BucketSizeInPages);
        Assert.True(manager.MemorySize(0) > 0);
        Assert.True(manager.MemorySize(1) > 0);
        Assert.True(manager.MemorySize(2) > 0);
        Assert.Equal(0UL, manager.MemorySize(3));
        Assert.Equal(0, image.Length % 65536);
    }

    [Fact]
    public async Task A_zero_bucket_size_is_a_usage_error_on_one_line_with_exit_code_1()
    {
        (await CliRun.Of("demo", "--bucket-size", "0")).ExpectExitCode(1).ExpectOneLineError("--bucket-size must be at least 1");
    }
}
