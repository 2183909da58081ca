namespace ActorMigrate.Migration;

/// <summary>What one migration step did.</summary>
/// <param name="Records">Records moved by this step.</param>
/// <param name="InstructionsUsed">Instructions the step used (from the execution's counter).</param>
/// <param name="Phase">The phase after the step: Completed or Aborted when it reached the end.</param>
public sealed record StepReport(int Records, long InstructionsUsed, MigrationPhase Phase, string AbortReason);
