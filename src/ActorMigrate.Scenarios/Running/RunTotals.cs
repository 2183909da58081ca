namespace ActorMigrate.Scenarios.Running;

/// <summary>The running totals a report sums up.</summary>
public sealed record RunTotals(
    long Steps,
    long LargestStepInstructions,
    long HeapHighWaterBytes,
    long CallsChecked,
    long CallsDiffering,
    TrafficServed Traffic,
    double WallClockSeconds,
    int Resumes);
