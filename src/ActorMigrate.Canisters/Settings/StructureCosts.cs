namespace ActorMigrate.Canisters;

/// <summary>
/// A stable structure's Wasm work on top of the system calls it makes: per memory access and byte
/// moved (charged by <see cref="Ic0.ForStructure"/>) and per operation (charged by the code that calls
/// the structure, e.g. a stable store, with <see cref="Ic0.ChargeWasm"/>).
/// </summary>
public sealed record StructureCosts
{
    public long PerRead { get; init; }

    public long PerWrite { get; init; }

    /// <summary>Per byte read or written (decoding, encoding, copying).</summary>
    public long PerByte { get; init; }

    public long Insert { get; init; }

    /// <summary>Get and contains.</summary>
    public long Get { get; init; }

    public long Remove { get; init; }
}
