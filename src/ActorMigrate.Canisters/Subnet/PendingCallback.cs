namespace ActorMigrate.Canisters;

/// <summary>A continuation waiting for a call's response, with the call context it must eventually answer.</summary>
internal sealed record PendingCallback(Func<Ic0, CallResult, Outcome> Then, CallOrigin Origin, CallbackRef? Continuation = null);
