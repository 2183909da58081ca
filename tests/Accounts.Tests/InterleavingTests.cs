using ActorMigrate.Examples.Accounts;
using ActorMigrate.Migration;
using ActorMigrate.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accounts.Tests;

/// <summary>Random scripts of upgrades, downgrades, reverse migrations, rounds and traffic against the model.</summary>
public sealed class InterleavingTests
{
    private enum Op
    {
        Traffic,
        Tick,
        ToV1,
        ToV2,
        ToV3,
        ToV3PointerRouted,
        ToV3StayPut,
        Reverse,
    }

    /// <summary>Runs <paramref name="script"/>; returns null when every account matched the model after every step, else what differed.</summary>
    private static string? Run(IReadOnlyList<(Op Op, int N)> script, int seed, Func<AccountsV3> v3)
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new AccountsV1());
        var traffic = new AccountTraffic(seed);
        traffic.Run(ic, id, 60);
        var version = 1;
        foreach (var (op, n) in script)
        {
            switch (op)
            {
                case Op.Traffic:
                    traffic.Run(ic, id, n);
                    break;
                case Op.Tick:
                    ic.Tick(n);
                    break;
                case Op.ToV1 when version == 2:
                    ic.Update<uint>(id, "set_upgrade_format", 1u);
                    ic.Upgrade(id, new AccountsV1());
                    version = 1;
                    break;
                case Op.ToV2 when version is 1 or 3:
                    ic.Upgrade(id, new AccountsV2());
                    version = 2;
                    break;
                case Op.ToV3 or Op.ToV3PointerRouted when version is 2 or 3:
                    var policy = op == Op.ToV3 ? RoutingPolicyKind.DualWrite : RoutingPolicyKind.PointerRouted;
                    ic.Upgrade(id, v3(), Scenario.Heartbeat(chunk: 3 + n % 30, policy));
                    version = 3;
                    break;
                case Op.ToV3StayPut when version == 3:
                    ic.Upgrade(id, v3(), Scenario.StayPut);
                    break;
                case Op.Reverse when version == 3 && Scenario.State(ic, id) is { Phase: MigrationPhase.Completed, Direction: MigrationDirection.HeapToStable }:
                    ic.Update<MigrationState>(id, "start_migration", (MigrationDirection.StableToHeap, Scenario.Heartbeat(chunk: 3 + n % 30)));
                    break;
            }

            var actual = ic.Query<List<Account>>(id, "all_accounts");
            if (actual.Count != traffic.Model.Count ||
                actual.Any(a => !traffic.Model.TryGetValue(a.Principal, out var m) || !m.SameAs(a)))
            {
                return $"after {op} {n} (v{version}): {actual.Count} accounts, the model has {traffic.Model.Count}";
            }
        }

        return null;
    }

    private static Gen<(Op, int)[]> Scripts =>
        Gen.ListOf(Gen.Zip(Gen.Elements(Enum.GetValues<Op>()), Gen.Choose(1, 25)))
            .Select(l => l.Take(14).ToArray());

    [Property(MaxTest = 25)]
    public Property Any_interleaving_of_upgrades_downgrades_and_traffic_loses_no_account() =>
        Prop.ForAll(Scripts.ToArbitrary(), Gen.Choose(0, 1_000).ToArbitrary(), (script, seed) =>
        {
            var failure = Run(script, seed, () => new AccountsV3());
            return (failure is null).Label(failure ?? "");
        });

    [Fact]
    public void The_same_interleavings_catch_bug_4626()
    {
        var random = new Random(11);
        var caught = 0;
        for (var i = 0; i < 40 && caught == 0; i++)
        {
            // Scripts on v3 alone: traffic, rounds, reverse migrations and upgrades to itself, in any order.
            var script = new List<(Op, int)> { (Op.ToV2, 1), (Op.ToV3, random.Next(30, 60)) };
            for (var k = 0; k < 8; k++)
            {
                script.Add((new[] { Op.Traffic, Op.Tick, Op.Reverse, Op.ToV3StayPut }[random.Next(4)], random.Next(1, 25)));
            }

            if (Run(script, i, () => new AccountsV3Bug4626()) is not null)
            {
                caught++;
                Assert.Null(Run(script, i, () => new AccountsV3())); // the fixed v3 passes the very same script
            }
        }

        Assert.True(caught > 0, "no script caught the broken v3");
    }
}
