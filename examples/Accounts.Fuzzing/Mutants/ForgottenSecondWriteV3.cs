using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>Mutant 1: the dual-write proxy forgets the second write (into the target) for keys already migrated.</summary>
public sealed class ForgottenSecondWriteV3 : AccountsV3
{
    protected override IRoutingPolicy<string, Account>? RoutingPolicy => ForgetfulDualWritePolicy.Instance;

    /// <summary>Dual-write, except that writes and removes reach only the source store.</summary>
    private sealed class ForgetfulDualWritePolicy : IRoutingPolicy<string, Account>
    {
        public static ForgetfulDualWritePolicy Instance { get; } = new();

        private static readonly DualWritePolicy<string, Account> Correct = DualWritePolicy<string, Account>.Instance;

        public RoutingPolicyKind Kind => RoutingPolicyKind.DualWrite;

        public bool TryGet(MigrationProxy<string, Account> proxy, string key, out Account value) => Correct.TryGet(proxy, key, out value);

        public bool Insert(MigrationProxy<string, Account> proxy, string key, Account value) =>
            proxy.InsertInto(proxy.Source, key, value, logical: true, target: false);

        public bool Remove(MigrationProxy<string, Account> proxy, string key) =>
            proxy.RemoveFrom(proxy.Source, key, logical: true, target: false);

        public long Count(MigrationProxy<string, Account> proxy) => Correct.Count(proxy);

        public KeyValuePair<string, Account>? First(MigrationProxy<string, Account> proxy) => Correct.First(proxy);

        public KeyValuePair<string, Account>? Last(MigrationProxy<string, Account> proxy) => Correct.Last(proxy);

        public IReadOnlyList<KeyValuePair<string, Account>> Range(MigrationProxy<string, Account> proxy, string? from, bool inclusive, int limit) =>
            Correct.Range(proxy, from, inclusive, limit);

        public void Copy(MigrationProxy<string, Account> proxy, string key, Account value) => Correct.Copy(proxy, key, value);

        public string? CheckCompletion(MigrationProxy<string, Account> proxy) => Correct.CheckCompletion(proxy);
    }
}
