namespace ActorMigrate.StableMemory.Conformance;

/// <summary>The stability test's read buffer must equal <c>stability_read.golden</c>.</summary>
public sealed class StabilityReadGoldenCheck : IGoldenCheck
{
    public string FileName => "stability_read.golden.gz";

    public string? Check(byte[] golden) => ImageComparison.FirstDifference(StabilityGolden.Read(), golden);
}
