namespace ActorMigrate.Scenarios.Tests;

/// <summary>Small scenarios the tests write inline.</summary>
public static class Scenarios
{
    /// <summary>
    /// Bug #4626's real trigger as a scenario: the forward migration completes, the release under test
    /// boots with its accounts in stable memory (label "STBL"), a reverse migration switches them back to
    /// the heap, writes follow, and an upgrade then trusts the stale label.
    /// </summary>
    public static string Bug4626(string module) => $$"""
        scenario {
          name = bug-4626
          seed = 21
          journal = none
          canisters = [ { name = accounts, module = accounts-v2 } ]
          data { records = 150 }
          traffic { calls-per-round = 2, put = 2, overwrite = 2, remove = 1, get = 1 }
          script = [
            { upgrade = {{module}}, migration { step.chunk = 100 } }
            { wait-until-phase = completed, max-rounds = 100 }
            { upgrade = {{module}}, migration { start-on-upgrade = off, triggers = none } }
            { start-migration = stable-to-heap, migration { step.chunk = 100 } }
            { wait-until-phase = completed, max-rounds = 100 }
            { wait-rounds = 20 }
            { upgrade = {{module}}, migration { start-on-upgrade = off, triggers = none } }
            { wait-rounds = 2 }
          ]
        }
        """;

    /// <summary>A scenario whose state after round ~40 lives in stable memory alone (v3, migration completed), then only fixed waits.</summary>
    public static string Resumable(string journal) => $$"""
        scenario {
          name = resumable
          seed = 33
          journal = {{journal}}
          canisters = [ { name = accounts, module = accounts-v2 } ]
          data { records = 300, load-per-round = 150 }
          traffic { calls-per-round = 3, put = 2, overwrite = 2, remove = 1, get = 2 }
          script = [
            { upgrade = accounts-v3, migration { step.chunk = 50 } }
            { wait-until-phase = completed, max-rounds = 100 }
            { wait-rounds = 40 }
            { downgrade = accounts-v2 }
            { wait-rounds = 10 }
          ]
        }
        """;
}
