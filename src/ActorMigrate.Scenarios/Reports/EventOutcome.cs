namespace ActorMigrate.Scenarios.Reports;

/// <summary>A script event as it ran: when, what, and how it ended (the IC's reject when it was refused).</summary>
public sealed record EventOutcome(int Index, ulong StartRound, ulong EndRound, string Canister, string Event, bool Ok, string Outcome);
