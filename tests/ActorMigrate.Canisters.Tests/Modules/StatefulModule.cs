using ActorMigrate.Canisters;

namespace ActorMigrate.Canisters.Tests;

/// <summary>A module that wrongly keeps a counter in its own field: the engine must refuse it.</summary>
public sealed class StatefulModule : CanisterModule
{
    private int calls;

    public override string Name => "stateful";

    public override int Version => 1;

    protected override void DeclareEndpoints(EndpointTable endpoints) =>
        endpoints.Update<object?, int>("call", (_, _) => ++calls);
}
