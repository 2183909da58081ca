using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Accounts;

/// <summary>An NNS-dapp-like account: its owner, named sub-accounts, hardware wallets and the canisters it tracks.</summary>
public sealed record Account(
    string Principal,
    ulong CreatedAtNanos,
    IReadOnlyList<SubAccount> SubAccounts,
    IReadOnlyList<HardwareWallet> HardwareWallets,
    IReadOnlyList<NamedCanister> Canisters)
{
    /// <summary>Accounts are equal when their encodings are (lists compare by content).</summary>
    public bool SameAs(Account other) => ((IStorable<Account>)AccountCodec.Instance).ToBytes(this).AsSpan().SequenceEqual(((IStorable<Account>)AccountCodec.Instance).ToBytes(other));
}

public sealed record SubAccount(string Name, string AccountIdentifier);

public sealed record HardwareWallet(string Name, string Principal);

public sealed record NamedCanister(string Name, string CanisterId);
