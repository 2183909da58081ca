namespace ActorMigrate.Scenarios.Definition;

/// <summary>The accounts each canister holds before the script starts (scenario section <c>data</c>).</summary>
/// <param name="Records">Accounts loaded right after install.</param>
/// <param name="Scale">Multiplies each account's list lengths (1: the NNS dapp's typical ~100 B–1 KiB; larger: the few-KiB tail).</param>
/// <param name="KeySpace">Principals are drawn from 4 × this many; traffic's puts of new accounts need room above the record count.</param>
/// <param name="LoadPerRound">Accounts loaded per round while filling (ingress in one round).</param>
public sealed record DataShape(int Records, int Scale, int KeySpace, int LoadPerRound);
