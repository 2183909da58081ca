using ActorMigrate.Canisters;
using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts;

/// <summary>The accounts API every version exports, over whatever store the version opens for an execution.</summary>
public static class AccountEndpoints
{
    public static EndpointTable Declare(EndpointTable endpoints, Func<Ic0, IStore<string, Account>> open) => endpoints
        .Update<Account, bool>("put_account", (ic, account) => open(ic).Insert(account.Principal, account))
        .Update<string, bool>("remove_account", (ic, principal) => open(ic).Remove(principal))
        .Query<string, Account?>("get_account", (ic, principal) => open(ic).TryGet(principal, out var a) ? a : null)
        .Query<(string From, int Limit), List<Account>>("range_accounts", (ic, a) => open(ic).Range(a.From, inclusive: true, a.Limit).Select(e => e.Value).ToList())
        .Query<object?, long>("account_count", (ic, _) => open(ic).Count)
        .Query<object?, List<Account>>("all_accounts", (ic, _) => open(ic).Entries().Select(e => e.Value).ToList());
}
