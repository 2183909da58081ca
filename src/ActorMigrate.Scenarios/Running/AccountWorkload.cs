using ActorMigrate.Examples.Accounts;
using ActorMigrate.Scenarios.Definition;

namespace ActorMigrate.Scenarios.Running;

/// <summary>
/// One canister's accounts as an independent model (a plain SortedDictionary) and the seeded traffic
/// that changes them. The calls depend only on the seed and the model, never on the canister's answers,
/// so replaying the same number of rounds rebuilds the model exactly (what --resume does).
/// </summary>
public sealed class AccountWorkload(int seed, DataShape data, TrafficMix mix)
{
    private readonly Random random = new(seed);
    private readonly List<string> principals = [];
    private readonly Dictionary<string, int> positions = new(StringComparer.Ordinal);

    public SortedDictionary<string, Account> Model { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Puts of <paramref name="count"/> new accounts (the initial load).</summary>
    public IReadOnlyList<TrafficCall> NextLoad(int count) => [.. Enumerable.Range(0, count).Select(_ => Put())];

    /// <summary>The writes and gets of one round, applied to the model as they are made.</summary>
    public IReadOnlyList<TrafficCall> NextRound()
    {
        var calls = new List<TrafficCall>(mix.CallsPerRound);
        for (var i = 0; i < mix.CallsPerRound; i++)
        {
            var pick = random.Next(mix.TotalShares);
            calls.Add(pick < mix.Put ? Put()
                : pick < mix.Put + mix.Overwrite ? Overwrite()
                : pick < mix.Put + mix.Overwrite + mix.Remove ? Remove()
                : Get());
        }

        return calls;
    }

    private TrafficCall Put()
    {
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var principal = AccountGenerator.Principal(random, data.KeySpace);
            if (!Model.ContainsKey(principal))
            {
                return Write(principal);
            }
        }

        return Overwrite(); // the key space is nearly full: keep the call, as an overwrite
    }

    private TrafficCall Overwrite() => principals.Count == 0 ? Put() : Write(principals[random.Next(principals.Count)]);

    private TrafficCall Write(string principal)
    {
        var account = AccountGenerator.NewAccount(random, principal, data.Scale);
        var isNew = !Model.ContainsKey(principal);
        Model[principal] = account;
        if (isNew)
        {
            positions[principal] = principals.Count;
            principals.Add(principal);
        }

        return new TrafficCall(isNew ? TrafficOp.Put : TrafficOp.Overwrite, principal, account, isNew);
    }

    private TrafficCall Remove()
    {
        var principal = principals.Count > 0 && random.Next(8) != 0 ? principals[random.Next(principals.Count)] : AccountGenerator.Principal(random, data.KeySpace);
        var existed = Model.Remove(principal);
        if (existed)
        {
            // Swap-remove keeps the pick list O(1) and deterministic.
            var at = positions[principal];
            var last = principals[^1];
            principals[at] = last;
            positions[last] = at;
            principals.RemoveAt(principals.Count - 1);
            positions.Remove(principal);
        }

        return new TrafficCall(TrafficOp.Remove, principal, null, existed);
    }

    private TrafficCall Get() =>
        new(TrafficOp.Get, principals.Count > 0 && random.Next(5) != 0 ? principals[random.Next(principals.Count)] : AccountGenerator.Principal(random, data.KeySpace), null, false);

    /// <summary>The model as it is now, for a snapshot.</summary>
    public SortedDictionary<string, Account> Capture() => new(Model, StringComparer.Ordinal);

    /// <summary>Back to a captured model (a snapshot was loaded into the canister).</summary>
    public void Restore(SortedDictionary<string, Account> captured)
    {
        Model = new SortedDictionary<string, Account>(captured, StringComparer.Ordinal);
        principals.Clear();
        positions.Clear();
        foreach (var principal in Model.Keys)
        {
            positions[principal] = principals.Count;
            principals.Add(principal);
        }
    }
}
