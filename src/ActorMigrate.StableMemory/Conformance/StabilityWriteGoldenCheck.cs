namespace ActorMigrate.StableMemory.Conformance;

/// <summary>The underlying memory after the stability test's writes must equal <c>stability_write.golden</c>.</summary>
public sealed class StabilityWriteGoldenCheck : IGoldenCheck
{
    public string FileName => "stability_write.golden.gz";

    public string? Check(byte[] golden) => ImageComparison.FirstDifference(StabilityGolden.Write(), golden);
}
