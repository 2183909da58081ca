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
    /// <remarks>
    /// The fuzzer draws tens of these per sequence, so this is plain loops over the random stream (no LINQ, no
    /// lower-casing copy); the order of the draws is the contract: the same seed gives the same accounts as before.
    /// </remarks>
    public static Account NewAccount(Random random, string principal, int scale = 1)
    {
        var createdAt = (ulong)random.NextInt64(1, long.MaxValue);
        var subAccounts = new SubAccount[random.Next(0, 6 * scale)];
        for (var i = 0; i < subAccounts.Length; i++)
        {
            subAccounts[i] = new SubAccount(Name("sub", i), Id(random, 32));
        }

        var hardwareWallets = new HardwareWallet[random.Next(0, 3 * scale)];
        for (var i = 0; i < hardwareWallets.Length; i++)
        {
            hardwareWallets[i] = new HardwareWallet(Name("ledger", i), Id(random, 29));
        }

        var canisters = new NamedCanister[random.Next(0, 10 * scale)];
        for (var i = 0; i < canisters.Length; i++)
        {
            canisters[i] = new NamedCanister(Name("canister", i), Id(random, 10));
        }

        return new Account(principal, createdAt, subAccounts, hardwareWallets, canisters);
    }

    /// <summary><paramref name="bytes"/> random bytes as lower-case hex.</summary>
    private static string Id(Random random, int bytes)
    {
        Span<byte> id = stackalloc byte[bytes];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = (byte)random.Next(256);
        }

        return Convert.ToHexStringLower(id);
    }

    private static readonly string[][] Names = [.. new[] { "sub", "ledger", "canister" }.Select(kind => Enumerable.Range(0, 100).Select(i => $"{kind} {i}").ToArray())];

    /// <summary>"sub 3", "ledger 0", …: the entry names repeat across accounts, so the common ones are made once.</summary>
    private static string Name(string kind, int index)
    {
        var names = Names[kind switch { "sub" => 0, "ledger" => 1, _ => 2 }];
        return index < names.Length ? names[index] : $"{kind} {index}";
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
