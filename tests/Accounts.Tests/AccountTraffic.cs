using ActorMigrate.Canisters;
using ActorMigrate.Examples.Accounts;
using ActorMigrate.Testing;

namespace Accounts.Tests;

/// <summary>Random account traffic, applied to a canister and to an independent model (a plain SortedDictionary).</summary>
public sealed class AccountTraffic(int seed)
{
    private readonly Random random = new(seed);

    public SortedDictionary<string, Account> Model { get; } = new(StringComparer.Ordinal);

    public Account NewAccount(string principal) => AccountGenerator.NewAccount(random, principal);

    private string SomePrincipal() => AccountGenerator.Principal(random);

    /// <summary>Puts, overwrites and removes <paramref name="calls"/> times.</summary>
    public void Run(ICanisterHarness ic, Principal canister, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            var principal = random.Next(5) == 0 && Model.Count > 0 ? Model.Keys.ElementAt(random.Next(Model.Count)) : SomePrincipal();
            if (random.Next(6) == 0)
            {
                Assert.Equal(Model.Remove(principal), ic.Update<bool>(canister, "remove_account", principal));
            }
            else
            {
                var account = NewAccount(principal);
                Assert.Equal(!Model.ContainsKey(principal), ic.Update<bool>(canister, "put_account", account));
                Model[principal] = account;
            }
        }
    }

    /// <summary>Every account of the canister equals the model's, in order, and nothing else is there.</summary>
    public void AssertSame(ICanisterHarness ic, Principal canister)
    {
        var actual = ic.Query<List<Account>>(canister, "all_accounts");
        Assert.Equal(Model.Keys.ToList(), actual.Select(a => a.Principal).ToList());
        foreach (var account in actual)
        {
            Assert.True(Model[account.Principal].SameAs(account), $"account {account.Principal} differs from the model");
        }

        Assert.Equal(Model.Count, ic.Query<long>(canister, "account_count"));
    }
}
