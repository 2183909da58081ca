using ActorMigrate.Canisters;

namespace ActorMigrate.Scenarios.Running;

/// <summary>An update call a round delivers as ingress.</summary>
public sealed record IngressCall(Principal Canister, string Method, object? Arg);
