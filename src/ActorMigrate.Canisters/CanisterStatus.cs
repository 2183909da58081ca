namespace ActorMigrate.Canisters;

public enum CanisterStatus
{
    Running,
    /// <summary>Stop requested; waits for open call contexts (awaited calls) to finish.</summary>
    Stopping,
    Stopped,
}
