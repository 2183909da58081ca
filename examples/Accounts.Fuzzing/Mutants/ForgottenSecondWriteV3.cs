using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>Mutant 1: the dual-write proxy forgets the second write (into the target) for keys already migrated.</summary>
public sealed class ForgottenSecondWriteV3 : AccountsV3
{
    protected override IRoutingPolicy<string, Account>? RoutingPolicy => ForgetfulDualWritePolicy.Forgetful;

    /// <summary>Dual-write, except that writes and removes reach only the source store.</summary>
    private sealed class ForgetfulDualWritePolicy : DualWritePolicy<string, Account>
    {
        public static ForgetfulDualWritePolicy Forgetful { get; } = new();

        public override bool Insert(MigrationProxy<string, Account> proxy, string key, Account value) =>
            proxy.InsertInto(proxy.Source, key, value, logical: true, target: false);

        public override bool Remove(MigrationProxy<string, Account> proxy, string key) =>
            proxy.RemoveFrom(proxy.Source, key, logical: true, target: false);
    }
}
