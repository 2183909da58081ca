using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>
/// Mutant 6: completion skips its checks (count, first, last, digest) while the copy is corrupt. The
/// copy goes corrupt because overwrites of migrated keys reach only the source; the correct checks
/// would see it and abort, these switch to the stale copy.
/// </summary>
public sealed class UncheckedCompletionV3 : AccountsV3
{
    protected override IRoutingPolicy<string, Account>? RoutingPolicy => UncheckedPolicy.Instance;

    private sealed class UncheckedPolicy : IRoutingPolicy<string, Account>
    {
        public static UncheckedPolicy Instance { get; } = new();

        private static readonly DualWritePolicy<string, Account> Correct = DualWritePolicy<string, Account>.Instance;

        public RoutingPolicyKind Kind => RoutingPolicyKind.DualWrite;

        public bool TryGet(MigrationProxy<string, Account> proxy, string key, out Account value) => Correct.TryGet(proxy, key, out value);

        public bool Insert(MigrationProxy<string, Account> proxy, string key, Account value)
        {
            var overwrite = proxy.Source.Contains(key);
            var added = proxy.InsertInto(proxy.Source, key, value, logical: true, target: false);
            if (proxy.IsMigrated(key) && !overwrite)
            {
                proxy.InsertInto(proxy.Target, key, value, logical: false, target: true);
            }

            return added;
        }

        public bool Remove(MigrationProxy<string, Account> proxy, string key) => Correct.Remove(proxy, key);

        public long Count(MigrationProxy<string, Account> proxy) => Correct.Count(proxy);

        public KeyValuePair<string, Account>? First(MigrationProxy<string, Account> proxy) => Correct.First(proxy);

        public KeyValuePair<string, Account>? Last(MigrationProxy<string, Account> proxy) => Correct.Last(proxy);

        public IReadOnlyList<KeyValuePair<string, Account>> Range(MigrationProxy<string, Account> proxy, string? from, bool inclusive, int limit) =>
            Correct.Range(proxy, from, inclusive, limit);

        public void Copy(MigrationProxy<string, Account> proxy, string key, Account value) => Correct.Copy(proxy, key, value);

        public string? CheckCompletion(MigrationProxy<string, Account> proxy) => null;
    }
}
