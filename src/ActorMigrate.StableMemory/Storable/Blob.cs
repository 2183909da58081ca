namespace ActorMigrate.StableMemory;

/// <summary>
/// A byte string bounded to a maximum length: the Rust library's <c>Blob&lt;N&gt;</c>. The bound lives in
/// the codec (<see cref="Storable.Blob"/>), since C# has no const generics. Ordered lexicographically,
/// like <c>Blob::cmp</c>.
/// </summary>
public readonly struct Blob : IEquatable<Blob>, IComparable<Blob>
{
    private readonly byte[]? bytes;

    public Blob(ReadOnlySpan<byte> value) => bytes = value.ToArray();

    public static Blob Empty => default;

    public ReadOnlySpan<byte> Span => bytes;

    public int Length => bytes?.Length ?? 0;

    public static Blob FromHex(string hex) => new(hex is "-" or "" ? [] : Convert.FromHexString(hex));

    public string ToHex() => Length == 0 ? "-" : Convert.ToHexStringLower(Span);

    public int CompareTo(Blob other) => Span.SequenceCompareTo(other.Span);

    public bool Equals(Blob other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Blob other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public override string ToString() => ToHex();

    public static bool operator ==(Blob left, Blob right) => left.Equals(right);

    public static bool operator !=(Blob left, Blob right) => !left.Equals(right);

    public static bool operator <(Blob left, Blob right) => left.CompareTo(right) < 0;

    public static bool operator >(Blob left, Blob right) => left.CompareTo(right) > 0;

    public static bool operator <=(Blob left, Blob right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Blob left, Blob right) => left.CompareTo(right) >= 0;
}
