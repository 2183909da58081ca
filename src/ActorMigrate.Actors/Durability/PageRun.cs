namespace ActorMigrate.Actors.Durability;

/// <summary>
/// Bytes <c>[Offset, Offset + Bytes.Length)</c> of 4 KiB page <paramref name="PageIndex"/> as a round left
/// them: what the journal keeps of a dirty page, its changed parts only (<see cref="PageDiff"/>). A page
/// the durable state has never held (or a reset round) diffs against zeros.
/// </summary>
public sealed record PageRun(ulong PageIndex, int Offset, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>What a run costs in a journal event besides its bytes: page index, offset and length.</summary>
    public const int HeaderBytes = 8 + 2 + 2;
}
