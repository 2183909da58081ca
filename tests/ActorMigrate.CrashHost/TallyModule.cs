using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.CrashHost;

/// <summary>
/// The crash test's canister, with state in all three places a recovery must bring back together.
/// Stable memory: offset 0 holds the number of deposits, offset 8 × account (accounts 1..4095) the
/// account's balance, offset <see cref="TicksOffset"/> the number of timer ticks. Heap: a cell with the
/// deposit count, a map of 64 buckets (account mod 64 → deposits) and a cell with the tick count.
/// Timers: one interval timer (a static method, so it is recoverable) armed by init, each tick its own
/// execution. A consistent canister has: balances, heap count and heap buckets all equal to the
/// stable deposit count; heap ticks equal to stable ticks; exactly one timer; and
/// canister_version = 1 (install) + deposits + ticks. A torn round, a stale heap image or a lost
/// timer breaks one of them.
/// </summary>
public sealed class TallyModule : CanisterModule
{
    public const int Accounts = 4096;

    public const ulong TicksOffset = 8 * Accounts;

    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    public override string Name => "tally";

    public override int Version => 1;

    private static HeapCell<ulong> Count(Ic0 ic) => ic.Heap.Cell("count", Storable.U64, 0UL);

    private static HeapMap<ulong, ulong> Buckets(Ic0 ic) => ic.Heap.Map("buckets", Storable.U64, Storable.U64);

    private static HeapCell<ulong> Ticks(Ic0 ic) => ic.Heap.Cell("ticks", Storable.U64, 0UL);

    public override void Init(Ic0 ic, object? arg)
    {
        ic.StableGrow(1);
        ic.SetTimerInterval(TickInterval, Tick);
    }

    private static void Tick(Ic0 ic)
    {
        Ticks(ic).Set(Ticks(ic).Get() + 1);
        ic.StableMemory.WriteU64(TicksOffset, ic.StableMemory.ReadU64(TicksOffset) + 1);
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<ulong, ulong>("deposit", (ic, account) =>
        {
            account = account % Accounts == 0 ? 1 : account % Accounts;
            var offset = 8 * account;
            ic.StableMemory.WriteU64(offset, ic.StableMemory.ReadU64(offset) + 1);
            var count = ic.StableMemory.ReadU64(0) + 1;
            ic.StableMemory.WriteU64(0, count);
            Count(ic).Set(Count(ic).Get() + 1);
            var buckets = Buckets(ic);
            buckets.Insert(account % 64, buckets.GetOrDefault(account % 64) + 1);
            return count;
        });

    /// <summary>(deposit count, sum of balances, ticks) read from a stable memory image.</summary>
    public static (ulong Count, ulong Sum, ulong Ticks) Audit(byte[] stable)
    {
        if (stable.Length < 8 * Accounts + 8)
        {
            return (0, 0, 0);
        }

        var sum = 0UL;
        for (var account = 1; account < Accounts; account++)
        {
            sum += BitConverter.ToUInt64(stable, 8 * account);
        }

        return (BitConverter.ToUInt64(stable, 0), sum, BitConverter.ToUInt64(stable, (int)TicksOffset));
    }

    /// <summary>(deposit count, sum of the buckets, ticks) read from the heap between executions (0 for a container not there yet).</summary>
    public static (ulong Count, ulong BucketSum, ulong Ticks) AuditHeap(Heap heap)
    {
        var names = heap.ContainerNames;
        var count = names.Contains("count") ? heap.Cell("count", Storable.U64, 0UL).Peek() : 0;
        var buckets = names.Contains("buckets") ? heap.Map("buckets", Storable.U64, Storable.U64).Peek().Values.Aggregate(0UL, (a, b) => a + b) : 0;
        var ticks = names.Contains("ticks") ? heap.Cell("ticks", Storable.U64, 0UL).Peek() : 0;
        return (count, buckets, ticks);
    }
}
