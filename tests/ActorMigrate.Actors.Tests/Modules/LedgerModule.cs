using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// A test ledger touching every path a round has: balances in stable memory (8 bytes per account at
/// offset 8 × account, the deposit count at offset 0), a heap counter of heartbeats, timers,
/// awaited calls to another canister (or itself), a trapping method, and an upgrade that keeps the
/// stable balances (and burns the instructions passed to it, to be sliced). Balances live in stable memory; the heartbeat counter and pending timer deposits
/// live on the heap, which a durable subnet recovers from its heap image.
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

    private static HeapOrderedMap<ulong, ulong> LaterAccounts(Ic0 ic) => ic.Heap.OrderedMap("later-accounts", Storable.U64, Storable.U64);

    private static HeapOrderedMap<ulong, ulong> LaterDue(Ic0 ic) => ic.Heap.OrderedMap("later-due", Storable.U64, Storable.U64);

    /// <summary>A deposit_later timer: due timers fire earliest first (ties by id), so the pending deposit with the least (due, id) is this one.</summary>
    private static void DepositDue(Ic0 ic)
    {
        var due = LaterDue(ic);
        var (timer, _) = due.Range(0, int.MaxValue).MinBy(e => (e.Value, e.Key));
        due.Remove(timer);
        var accounts = LaterAccounts(ic);
        accounts.TryGet(timer, out var account);
        accounts.Remove(timer);
        Deposit(ic, account, 1);
    }

    /// <summary>Burns the instructions it is given: more than a slice makes a sliced upgrade.</summary>
    public override void PostUpgrade(Ic0 ic, object? arg) => ic.ChargeWasm(arg is long burn ? burn : 0);

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
        {
            // The timer's data lives in the heap, so its callback is a static method a recovered
            // process binds again (a lambda capturing the account would be refused on a durable subnet).
            var delay = TimeSpan.FromMilliseconds(a.DelayMs);
            var timer = ic.SetTimer(delay, DepositDue);
            LaterAccounts(ic).Insert(timer, a.Account);
            LaterDue(ic).Insert(timer, ic.TimeNanos + (ulong)Math.Max(0, delay.Ticks) * 100);
            return timer;
        })
        .UpdateAsync<(Principal Target, ulong Account, ulong Amount)>("forward", (ic, a) =>
            Outcome.Await(ic.Call(a.Target, "deposit", (a.Account, a.Amount)), (then, result) =>
            {
                Deposit(then, a.Account, 1000); // a fee recorded locally after the await: its own execution
                return result.Reject is { } error ? Outcome.Reply(error.Code.ToString()) : Outcome.Reply(result.Reply);
            }));
}
