using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// A test ledger touching every path a round has: balances in stable memory (8 bytes per account at
/// offset 8 × account, the deposit count at offset 0), a heap counter of heartbeats, timers,
/// awaited calls to another canister (or itself), a trapping method, and an upgrade that keeps the
/// stable balances. Every state that matters survives a crash: it lives in stable memory.
/// </summary>
public sealed class LedgerModule : CanisterModule
{
    private readonly int version;

    public LedgerModule(int version = 1) => this.version = version;

    public override string Name => "ledger";

    public override int Version => version;

    private static HeapCell<ulong> Beats(Ic0 ic) => ic.Heap.Cell("beats", Storable.U64, 0UL);

    private static HeapCell<ulong> Beating(Ic0 ic) => ic.Heap.Cell("beating", Storable.U64, 0UL);

    public static ulong Balance(Ic0 ic, ulong account)
    {
        var offset = 8 * account;
        return offset + 8 <= ic.StableSize() * WasmPage.SizeInBytes ? ic.StableMemory.ReadU64(offset) : 0;
    }

    public static ulong Deposit(Ic0 ic, ulong account, ulong amount)
    {
        var offset = 8 * account;
        while (offset + 8 > ic.StableSize() * WasmPage.SizeInBytes)
        {
            ic.StableGrow(1);
        }

        var balance = Balance(ic, account) + amount;
        ic.StableMemory.WriteU64(offset, balance);
        ic.StableMemory.WriteU64(0, Balance(ic, 0) + 1); // account 0 is the deposit count
        return balance;
    }

    public override Outcome Heartbeat(Ic0 ic)
    {
        if (Beating(ic).Get() != 0)
        {
            Beats(ic).Set(Beats(ic).Get() + 1);
        }

        return Outcome.Done;
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<(ulong Account, ulong Amount), ulong>("deposit", (ic, a) => Deposit(ic, a.Account, a.Amount))
        .Query<ulong, ulong>("balance", Balance)
        .Query<object?, ulong>("beats", (ic, _) => Beats(ic).Get())
        .Update<bool, bool>("beat", (ic, on) =>
        {
            Beating(ic).Set(on ? 1UL : 0UL);
            return on;
        })
        .Update<(ulong Account, ulong Amount), ulong>("deposit_then_trap", (ic, a) =>
        {
            Deposit(ic, a.Account, a.Amount);
            ic.Trap("deposit refused");
            return 0;
        })
        .Update<(long DelayMs, ulong Account), ulong>("deposit_later", (ic, a) =>
            ic.SetTimer(TimeSpan.FromMilliseconds(a.DelayMs), t => Deposit(t, a.Account, 1)))
        .UpdateAsync<(Principal Target, ulong Account, ulong Amount)>("forward", (ic, a) =>
            Outcome.Await(ic.Call(a.Target, "deposit", (a.Account, a.Amount)), (then, result) =>
            {
                Deposit(then, a.Account, 1000); // a fee recorded locally after the await: its own execution
                return result.Reject is { } error ? Outcome.Reply(error.Code.ToString()) : Outcome.Reply(result.Reply);
            }));
}
