using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>
/// Mutant 6: completion skips its checks (count, first, last, digest) while the copy is corrupt. The
/// copy goes corrupt because overwrites of migrated keys reach only the source; the correct checks
/// would see it and abort, these switch to the stale copy.
/// </summary>
public sealed class UncheckedCompletionV3 : AccountsV3
{
    protected override IRoutingPolicy<string, Account>? RoutingPolicy => UncheckedPolicy.Unchecked;

    private sealed class UncheckedPolicy : DualWritePolicy<string, Account>
    {
        public static UncheckedPolicy Unchecked { get; } = new();

        public override bool Insert(MigrationProxy<string, Account> proxy, string key, Account value)
        {
            var overwrite = proxy.Source.Contains(key);
            var added = proxy.InsertInto(proxy.Source, key, value, logical: true, target: false);
            if (proxy.IsMigrated(key) && !overwrite)
            {
                proxy.InsertInto(proxy.Target, key, value, logical: false, target: true);
            }

            return added;
        }

        public override string? CheckCompletion(MigrationProxy<string, Account> proxy) => null;
    }
}
