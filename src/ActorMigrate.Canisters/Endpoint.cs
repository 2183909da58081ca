namespace ActorMigrate.Canisters;

/// <summary>A named method a module exports: an update (replicated, committed) or a query (never committed).</summary>
public sealed record Endpoint(string Name, bool IsQuery, Func<Ic0, object?, Outcome> Invoke);
