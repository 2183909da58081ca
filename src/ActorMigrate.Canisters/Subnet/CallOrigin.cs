namespace ActorMigrate.Canisters;

/// <summary>
/// Who waits for an execution's reply (a call context): an ingress message, a calling canister's
/// callback, or nobody (heartbeats, timers, lifecycle hooks).
/// </summary>
internal readonly record struct CallOrigin(ulong IngressId, Principal CallerCanister, ulong CallbackId)
{
    public static CallOrigin System => default;

    public static CallOrigin Ingress(ulong messageId) => new(messageId, default, 0);

    public static CallOrigin Canister(Principal caller, ulong callbackId) => new(0, caller, callbackId);

    public bool ExpectsReply => IngressId != 0 || CallbackId != 0;
}
