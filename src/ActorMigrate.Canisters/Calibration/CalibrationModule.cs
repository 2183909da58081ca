namespace ActorMigrate.Canisters.Calibration;

/// <summary>
/// A canister that runs whatever workload it is handed as its argument, inside one metered update
/// execution, and replies with what the workload measured (like canbench's bench scope).
/// </summary>
public sealed class CalibrationModule : CanisterModule
{
    public override string Name => "calibration";

    public override int Version => 1;

    protected override void DeclareEndpoints(EndpointTable endpoints) =>
        endpoints.Update<Func<Ic0, long>, long>("run", (ic, workload) => workload(ic));
}
