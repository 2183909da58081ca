namespace ActorMigrate.StableMemory.Conformance;

/// <summary>A case names a structure no <see cref="IConformanceDriver"/> handles yet.</summary>
public sealed class StructureNotPortedException(string keyword)
    : Exception($"structure '{keyword}' is not ported yet")
{
    public string Keyword { get; } = keyword;
}
