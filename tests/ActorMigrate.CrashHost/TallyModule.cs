using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.CrashHost;

/// <summary>
/// The crash test's canister: all state in stable memory. Offset 0 holds the number of deposits;
/// offset 8 × account (accounts 1..4095, spread over 8 pages) holds the account's balance. Every
/// deposit adds 1, so a consistent canister has balances summing to its deposit count, and, with no
/// heartbeat or timer, canister_version = 1 (install) + deposits. A torn round breaks both.
/// </summary>
public sealed class TallyModule : CanisterModule
{
    public const int Accounts = 4096;

    public override string Name => "tally";

    public override int Version => 1;

    public override void Init(Ic0 ic, object? arg) => ic.StableGrow(1);

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<ulong, ulong>("deposit", (ic, account) =>
        {
            var offset = 8 * (account % Accounts == 0 ? 1 : account % Accounts);
            ic.StableMemory.WriteU64(offset, ic.StableMemory.ReadU64(offset) + 1);
            var count = ic.StableMemory.ReadU64(0) + 1;
            ic.StableMemory.WriteU64(0, count);
            return count;
        });

    /// <summary>(deposit count, sum of balances) read from a stable memory image.</summary>
    public static (ulong Count, ulong Sum) Audit(byte[] stable)
    {
        if (stable.Length < 8 * Accounts)
        {
            return (0, 0);
        }

        var sum = 0UL;
        for (var account = 1; account < Accounts; account++)
        {
            sum += BitConverter.ToUInt64(stable, 8 * account);
        }

        return (BitConverter.ToUInt64(stable, 0), sum);
    }
}
