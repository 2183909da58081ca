namespace ActorMigrate.Scenarios.Running;

/// <summary>What a traffic call does to the accounts.</summary>
public enum TrafficOp
{
    Put,
    Overwrite,
    Remove,
    Get,
}
