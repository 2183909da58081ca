namespace ActorMigrate.Canisters;

/// <summary>
/// An open call context as a durable record holds it: the awaited call's callback id, who waits for
/// the context's answer (an ingress message id, or a calling canister's callback; both 0 for none),
/// and its continuation's reference when it has one (<see cref="CallbackRef.TryCapture"/>).
/// </summary>
public sealed record DurableCallContext(ulong CallbackId, ulong OriginIngressId, Principal? OriginCanister, ulong OriginCallbackId, CallbackRef? Continuation);
