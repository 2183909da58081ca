namespace ActorMigrate.Scenarios.Definition;

/// <summary>One canister of a scenario: a name the script refers to and the module it is installed with.</summary>
public sealed record CanisterDefinition(string Name, string Module);
