using ActorMigrate.Canisters;

namespace ActorMigrate.Migration;

/// <summary>Who may call a migration step endpoint: the canister itself (the NNS dapp's self-call) or a controller.</summary>
public static class StepAuthorization
{
    /// <summary>Traps unless the caller is the canister itself or one of its controllers.</summary>
    public static void Require(Ic0 ic)
    {
        if (ic.Caller != ic.Self && !ic.IsController(ic.Caller))
        {
            ic.Trap($"{ic.Method}: caller {ic.Caller} is neither the canister {ic.Self} nor one of its controllers");
        }
    }
}
