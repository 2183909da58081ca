namespace ActorMigrate.Canisters;

/// <summary>Equality for hash-map keys: byte arrays compare by content, everything else by its own equality.</summary>
internal static class KeyEquality
{
    public static IEqualityComparer<T> For<T>() =>
        typeof(T) == typeof(byte[]) ? (IEqualityComparer<T>)(object)ByteArrayEquality.Instance : EqualityComparer<T>.Default;

    private sealed class ByteArrayEquality : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayEquality Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
