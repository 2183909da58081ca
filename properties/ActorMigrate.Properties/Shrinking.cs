namespace ActorMigrate.Properties;

/// <summary>FsCheck shrinker for operation sequences: drop halves, quarters, … and single operations.</summary>
public static class Shrinking
{
    public static IEnumerable<FuzzOperation[]> Sequence(FuzzOperation[] operations)
    {
        for (var size = operations.Length / 2; size >= 1; size /= 2)
        {
            for (var start = 0; start + size <= operations.Length; start += size)
            {
                yield return [.. operations.Take(start), .. operations.Skip(start + size)];
            }
        }
    }
}
