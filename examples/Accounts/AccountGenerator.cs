namespace ActorMigrate.Examples.Accounts;

/// <summary>
/// Makes NNS-dapp-like accounts from a seeded <see cref="Random"/>: a few sub-accounts, hardware wallets
/// and tracked canisters, so a record is a hundred bytes to a few KiB. The same seed gives the same accounts.
/// </summary>
public static class AccountGenerator
{
    /// <summary>Principals are drawn from <paramref name="keySpace"/> values, so traffic overwrites and removes as well as inserts.</summary>
    public static string Principal(Random random, int keySpace = 2_000) => $"{random.Next(0, keySpace):D5}-{random.Next(0, 4)}";

    /// <param name="scale">Multiplies the list lengths: 1 gives the NNS dapp's typical sizes, larger values give the few-KiB tail.</param>
    public static Account NewAccount(Random random, string principal, int scale = 1)
    {
        string Id(int n) => Convert.ToHexString(Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray()).ToLowerInvariant();
        return new Account(
            principal,
            (ulong)random.NextInt64(1, long.MaxValue),
            Enumerable.Range(0, random.Next(0, 6 * scale)).Select(i => new SubAccount($"sub {i}", Id(32))).ToList(),
            Enumerable.Range(0, random.Next(0, 3 * scale)).Select(i => new HardwareWallet($"ledger {i}", Id(29))).ToList(),
            Enumerable.Range(0, random.Next(0, 10 * scale)).Select(i => new NamedCanister($"canister {i}", Id(10))).ToList());
    }

    /// <summary>
    /// Account number <paramref name="index"/> of a bulk load: about 200 bytes encoded (one sub-account,
    /// one hardware wallet, one canister), principals in index order. A pure function of the index.
    /// </summary>
    public static Account Compact(int index)
    {
        var hex = $"{(uint)(index * 2654435761u):x8}";
        return new Account(
            $"b{index:D7}-{index % 7}",
            1_700_000_000_000_000_000UL + (ulong)index,
            [new SubAccount("main", string.Concat(Enumerable.Repeat(hex, 8)))],
            [new HardwareWallet("ledger", $"{hex}-{hex}-{hex}-{hex}-{hex}-cai")],
            [new NamedCanister("dapp", $"{hex[..5]}-cai")]);
    }
}
