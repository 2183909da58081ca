namespace ActorMigrate.StableMemory.Conformance;

/// <summary>The outcome of one case or golden: passed, or failed with the first thing that differed.</summary>
public sealed record CaseResult(string Name, bool Passed, string? Reason = null)
{
    public static CaseResult Pass(string name) => new(name, true);

    public static CaseResult Fail(string name, string reason) => new(name, false, reason);

    public override string ToString() => Passed ? $"{Name}: pass" : $"{Name}: fail ({Reason})";
}
