namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Replays and reads back one kind of structure named in conformance cases (the format of
/// shared/conformance/README.md): <c>btree</c>, <c>cell</c>, <c>vec</c>, <c>log</c>. The runner finds
/// every implementation in this assembly, so a new structure adds a driver and nothing else.
/// </summary>
public interface IConformanceDriver
{
    /// <summary>The first word of the lines this driver handles.</summary>
    string Keyword { get; }

    /// <summary>Applies one <c>.ops</c> line (already split on spaces; <c>line[0]</c> is <see cref="Keyword"/>).</summary>
    void Apply(ConformanceContext context, IReadOnlyList<string> line);

    /// <summary>
    /// Opens the structure an <c>.expect</c> header names on the memory as it is (no replay) and returns the
    /// section as the structure holds it: the header recomputed (with its real length) and then its lines.
    /// </summary>
    IEnumerable<string> Read(ConformanceContext context, IReadOnlyList<string> header);
}
