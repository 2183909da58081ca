namespace ActorMigrate.StableMemory.Tests.BTreeMap;

public enum MapOpKind
{
    Insert,
    Remove,
    Get,
    PopFirst,
    PopLast,
    Range,
    Iterate,
    Reopen,
}

/// <summary>One step of a random operation sequence; the seeds become keys and values of whatever types a scenario maps.</summary>
public sealed record MapOp(MapOpKind Kind, ulong KeySeed, ulong OtherKeySeed, int ValueSeed)
{
    public override string ToString() => Kind switch
    {
        MapOpKind.Insert => $"insert {KeySeed} (value {ValueSeed})",
        MapOpKind.Remove or MapOpKind.Get => $"{Kind} {KeySeed}".ToLowerInvariant(),
        MapOpKind.Range => $"range {KeySeed}..{OtherKeySeed}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
