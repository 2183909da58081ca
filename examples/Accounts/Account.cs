namespace ActorMigrate.Examples.Accounts;

/// <summary>An NNS-dapp-like account: its owner, named sub-accounts, hardware wallets and the canisters it tracks.</summary>
public sealed record Account(
    string Principal,
    ulong CreatedAtNanos,
    IReadOnlyList<SubAccount> SubAccounts,
    IReadOnlyList<HardwareWallet> HardwareWallets,
    IReadOnlyList<NamedCanister> Canisters)
{
    /// <summary>Accounts are the same when every field is, the lists element by element (record equality compares lists by reference).</summary>
    public bool SameAs(Account other) =>
        Principal == other.Principal && CreatedAtNanos == other.CreatedAtNanos &&
        SubAccounts.SequenceEqual(other.SubAccounts) && HardwareWallets.SequenceEqual(other.HardwareWallets) && Canisters.SequenceEqual(other.Canisters);
}

public sealed record SubAccount(string Name, string AccountIdentifier);

public sealed record HardwareWallet(string Name, string Principal);

public sealed record NamedCanister(string Name, string CanisterId);
