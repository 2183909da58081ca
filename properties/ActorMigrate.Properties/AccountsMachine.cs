using System.Collections.Immutable;
using ActorMigrate.Examples.Accounts.Fuzzing;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;

namespace ActorMigrate.Properties;

/// <summary>
/// The accounts example as an FsCheck state machine (FsCheck.Experimental): the actual object is a
/// <see cref="FuzzRunner"/> on a host, the model the immutable list of operations applied so far (the
/// runner keeps the record model and checks the invariants after each); each operation's Check fails
/// with the invariant that broke.
/// </summary>
public sealed class AccountsMachine(string strategy, Func<FuzzHost> host, bool crashes, int maxOperations)
    : Machine<FuzzRunner, ImmutableList<FuzzOperation>>(maxOperations)
{
    private static readonly AccountsFuzzTarget Target = AccountsFuzzTarget.Instance;

    public override Arbitrary<Setup<FuzzRunner, ImmutableList<FuzzOperation>>> Setup =>
        Gen.Constant((Setup<FuzzRunner, ImmutableList<FuzzOperation>>)new RunnerSetup(strategy, host)).ToArbitrary();

    public override Gen<Operation<FuzzRunner, ImmutableList<FuzzOperation>>> Next(ImmutableList<FuzzOperation> model) =>
        (model.Count == 12 ? Gen.Constant((FuzzOperation)new UpgradeOp(Target.MigratingVersion, 0)) : FuzzGenerators.Operation(Target, crashes))
        .Select(op => (Operation<FuzzRunner, ImmutableList<FuzzOperation>>)new Step(op));

    public override TearDown<FuzzRunner> TearDown => new HostTearDown();

    private sealed class HostTearDown : TearDown<FuzzRunner>
    {
        public override void Actual(FuzzRunner actual) => actual.Host.Dispose();
    }

    private sealed class RunnerSetup(string strategy, Func<FuzzHost> host) : Setup<FuzzRunner, ImmutableList<FuzzOperation>>
    {
        public override FuzzRunner Actual() => new(Target, strategy, host());

        public override ImmutableList<FuzzOperation> Model() => [];
    }

    private sealed class Step(FuzzOperation op) : Operation<FuzzRunner, ImmutableList<FuzzOperation>>
    {
        public override ImmutableList<FuzzOperation> Run(ImmutableList<FuzzOperation> model) => model.Add(op);

        public override Property Check(FuzzRunner actual, ImmutableList<FuzzOperation> model)
        {
            var result = actual.Apply([op], drain: false);
            return result.Passed.Label($"{op}: {result.Failure}");
        }

        public override string ToString() => op.ToString();
    }
}
