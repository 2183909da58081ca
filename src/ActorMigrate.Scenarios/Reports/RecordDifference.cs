namespace ActorMigrate.Scenarios.Reports;

/// <summary>A record (or a call's answer) where the canister and the model disagree.</summary>
/// <param name="Round">The round it was seen in (the final check: the last round).</param>
/// <param name="What">"missing" (in the model, not the canister), "unexpected" (the other way), "differs", or the call whose answer differed.</param>
public sealed record RecordDifference(string Canister, string Principal, ulong Round, string What);
