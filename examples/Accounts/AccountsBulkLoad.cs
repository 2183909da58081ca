namespace ActorMigrate.Examples.Accounts;

/// <summary>
/// An init argument of <see cref="AccountsV2"/> that fills its heap with <see cref="Count"/> accounts
/// (<see cref="AccountGenerator.Compact"/>, about 200 bytes each) in the install itself: the fast path
/// for rehearsals and benchmarks with a million accounts (one metered install instead of a million
/// update calls; the install is sliced like any long execution).
/// </summary>
public sealed record AccountsBulkLoad(int Count);
