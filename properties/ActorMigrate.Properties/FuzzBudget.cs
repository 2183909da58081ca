namespace ActorMigrate.Properties;

/// <summary>
/// How many sequences the properties run: small enough for CI (the whole project and the mutation
/// check in about three minutes on two cores); ACTORMIGRATE_FUZZ_BUDGET multiplies it.
/// </summary>
public static class FuzzBudget
{
    public static int Multiplier => int.TryParse(Environment.GetEnvironmentVariable("ACTORMIGRATE_FUZZ_BUDGET"), out var n) && n > 0 ? n : 1;

    public static int Of(int ciRuns) => ciRuns * Multiplier;
}
