namespace ActorMigrate.Canisters;

/// <summary>
/// A principal: a user, a controller or a canister. Held as its textual form; the engine never
/// needs the bytes, only equality and a stable order (canisters run in id order in a round).
/// </summary>
public readonly record struct Principal(string Text) : IComparable<Principal>
{
    /// <summary>The anonymous principal, the caller of unauthenticated ingress.</summary>
    public static Principal Anonymous { get; } = new("2vxsx-fae");

    /// <summary>The management canister (aaaaa-aa), the caller of lifecycle hooks.</summary>
    public static Principal ManagementCanister { get; } = new("aaaaa-aa");

    public int CompareTo(Principal other) => string.CompareOrdinal(Text, other.Text);

    public override string ToString() => Text;
}
