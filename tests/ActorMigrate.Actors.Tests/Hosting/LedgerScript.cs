using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Actors.Tests;

/// <summary>A script over any harness: several canisters, heartbeats, timers, awaited calls, traps, an upgrade, a stop.</summary>
internal static class LedgerScript
{
    public static List<Principal> Run(ICanisterHarness ic, int seed, int steps)
    {
        var random = new Random(seed);
        var canisters = Enumerable.Range(0, 4).Select(_ => ic.CreateAndInstall(new LedgerModule())).ToList();
        ic.Update<bool>(canisters[1], "beat", true);
        for (var step = 0; step < steps; step++)
        {
            var target = canisters[random.Next(canisters.Count)];
            var account = (ulong)random.Next(1, 3000);
            switch (random.Next(8))
            {
                case 0 or 1:
                    ic.TryUpdate(target, "deposit", (account, (ulong)random.Next(1, 100)));
                    break;
                case 2:
                    ic.TryUpdate(target, "deposit_then_trap", (account, 5UL));
                    break;
                case 3:
                    ic.TryUpdate(target, "deposit_later", ((long)random.Next(0, 2000), account));
                    break;
                case 4:
                    ic.TryUpdate(target, "forward", (canisters[random.Next(canisters.Count)], account, 7UL));
                    break;
                case 5:
                    ic.AdvanceTime(TimeSpan.FromMilliseconds(random.Next(1, 1500)));
                    ic.Tick(random.Next(1, 3));
                    break;
                case 6:
                    ic.TryInstallCode(target, InstallMode.Upgrade, new LedgerModule(1 + random.Next(2)));
                    break;
                default:
                    ic.TryQuery(target, "balance", account);
                    break;
            }
        }

        return canisters;
    }
}
