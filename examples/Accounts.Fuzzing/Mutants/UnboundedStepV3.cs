using ActorMigrate.Canisters;
using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>
/// Mutant 7: a step that ignores the instruction limit — it moves everything left in one execution. Once
/// the records left cost more than one execution may use, every step traps, rolls back, and the next
/// one tries the same again: the migration stalls.
/// </summary>
public sealed class UnboundedStepV3 : AccountsV3
{
    protected override StepReport Step(Ic0 ic, Opened opened, StepSizing? sizing) => opened.Proxy.RunToEnd();
}
