namespace ActorMigrate.Scenarios.Definition;

/// <summary>
/// The calls each canister gets every round (scenario section <c>traffic</c>). Shares are relative
/// weights: put a new account, overwrite an existing one, remove one, get one (a query after the round).
/// </summary>
public sealed record TrafficMix(int CallsPerRound, int Put, int Overwrite, int Remove, int Get)
{
    public int TotalShares => Put + Overwrite + Remove + Get;
}
