using ActorMigrate.Examples.Accounts.Fuzzing;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Xunit;

namespace ActorMigrate.Properties;

/// <summary>Model-based runs of the accounts example (FsCheck.Experimental): the engine with the main budget, the actors with a small one.</summary>
public sealed class MachineProperties
{
    private static readonly AccountsFuzzTarget Target = AccountsFuzzTarget.Instance;

    [Property(MaxTest = 10)]
    public Property The_accounts_machine_on_the_engine_keeps_every_invariant() =>
        new AccountsMachine(AccountsFuzzTarget.DualWrite, () => new EngineFuzzHost(Target.Subnet), crashes: false, maxOperations: 80).ToProperty();

    [Property(MaxTest = 3)]
    public Property The_accounts_machine_on_the_actors_with_the_in_memory_journal_keeps_every_invariant() =>
        new AccountsMachine(AccountsFuzzTarget.DualWrite, () => new ActorFuzzHost(Target.Subnet, Modules()), crashes: false, maxOperations: 60).ToProperty();

    /// <summary>
    /// Crashes are the subnet actor dying and recovering from the in-memory journal: nothing a caller was
    /// answered may be lost (ReplayTests keeps the counterexamples this property found).
    /// </summary>
    [Property(MaxTest = 20)]
    public Property The_accounts_machine_on_the_actors_keeps_every_invariant_across_crashes() =>
        new AccountsMachine(AccountsFuzzTarget.DualWrite, () => new ActorFuzzHost(Target.Subnet, Modules()), crashes: true, maxOperations: 60).ToProperty();

    internal static IEnumerable<ActorMigrate.Canisters.CanisterModule> Modules(string strategy = AccountsFuzzTarget.DualWrite) =>
        Target.Versions.Select(v => Target.Module(strategy, v));
}
