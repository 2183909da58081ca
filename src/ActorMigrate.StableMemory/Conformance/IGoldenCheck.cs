namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Checks one golden file from the Rust library's own test suite (shared/conformance/upstream). The
/// runner finds every implementation in this assembly, so a structure adds its golden check and
/// nothing else.
/// </summary>
public interface IGoldenCheck
{
    /// <summary>The file this check reads, for example <c>stability_write.golden.gz</c> (gzipped files are unpacked first).</summary>
    string FileName { get; }

    /// <summary>Null when the port reproduces <paramref name="golden"/> exactly; otherwise what differs and where.</summary>
    string? Check(byte[] golden);
}
