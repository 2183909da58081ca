namespace ActorMigrate.Canisters;

/// <summary>
/// The subnet's record of executions: a running FNV-1a hash over every record (same seed and script,
/// same hash) and the most recent records for inspection.
/// </summary>
public sealed class Trace
{
    private const ulong Prime = 1099511628211;
    private readonly List<ExecutionRecord> recent = [];
    private readonly int capacity;

    public Trace(int capacity = 100_000) => this.capacity = capacity;

    public ulong Hash { get; private set; } = 14695981039346656037;

    public long Count { get; private set; }

    /// <summary>The latest records (up to the capacity), oldest first.</summary>
    public IReadOnlyList<ExecutionRecord> Recent => recent;

    /// <summary>
    /// The records of rounds after <paramref name="round"/> still held, oldest first; every record held
    /// when it is null. Records arrive in round order, so this walks back from the newest only as far as
    /// it must: a driver that looks at each batch of rounds pays for that batch, not for the whole trace.
    /// </summary>
    public IEnumerable<ExecutionRecord> After(ulong? round)
    {
        var first = round is null ? 0 : recent.Count;
        while (first > 0 && recent[first - 1].Round > round)
        {
            first--;
        }

        for (var i = first; i < recent.Count; i++)
        {
            yield return recent[i];
        }
    }

    internal void Add(in ExecutionRecord record)
    {
        Count++;
        Mix(record.Round);
        Mix(record.Canister.Text);
        Mix((ulong)record.Kind);
        Mix(record.Method);
        Mix((ulong)record.InstructionsUsed);
        Mix((ulong)record.DirtyPages);
        Mix(record.Error is null ? 0UL : (ulong)record.Error.Code);
        if (recent.Count >= 2 * capacity)
        {
            recent.RemoveRange(0, capacity);
        }

        recent.Add(record);
    }

    internal void Mix(string text)
    {
        var hash = Hash;
        foreach (var c in text)
        {
            hash = (hash ^ (c & 0xFFu)) * Prime;
            hash = (hash ^ (uint)(c >> 8)) * Prime;
        }

        Hash = hash;
        Mix((ulong)text.Length);
    }

    internal void Mix(ulong value)
    {
        var hash = Hash;
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (value & 0xFF)) * Prime;
            value >>= 8;
        }

        Hash = hash;
    }
}
