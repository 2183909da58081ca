using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Embedding;

/// <summary>A canister counting clicks per page in stable memory (8 bytes per page id at offset 8 × id).</summary>
public sealed class ClickCounterModule : CanisterModule
{
    public override string Name => "click-counter";

    public override int Version => 1;

    public override void Init(Ic0 ic, object? arg) => ic.StableGrow(1);

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<ulong, ulong>("click", (ic, page) =>
        {
            var clicks = ic.StableMemory.ReadU64(8 * page) + 1;
            ic.StableMemory.WriteU64(8 * page, clicks);
            return clicks;
        })
        .Query<ulong, ulong>("clicks", (ic, page) => ic.StableMemory.ReadU64(8 * page));
}
