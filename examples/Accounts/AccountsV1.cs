using ActorMigrate.Canisters;

namespace ActorMigrate.Examples.Accounts;

/// <summary>v1: accounts in a heap map; pre_upgrade writes them at raw stable offset 0 (length + blob).</summary>
public sealed class AccountsV1 : CanisterModule
{
    public override string Name => "accounts";

    public override int Version => 1;

    protected override void DeclareEndpoints(EndpointTable endpoints) => AccountEndpoints.Declare(endpoints, AccountsHeap.Open);

    public override void PreUpgrade(Ic0 ic) => AccountsHeap.WriteRawV1(ic);

    public override void PostUpgrade(Ic0 ic, object? arg)
    {
        if (ic.StableSize() > 0 && !AccountsHeap.TryReadRawV1(ic))
        {
            ic.Trap("post_upgrade: stable memory holds a MemoryManager; v1 reads only its raw layout (downgrade through v2 with set_upgrade_format 1)");
        }
    }
}
