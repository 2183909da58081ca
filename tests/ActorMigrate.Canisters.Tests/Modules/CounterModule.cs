using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// A test canister touching every kind of state: a heap counter and map, stable memory, timers and
/// calls. Its pre_upgrade saves the counter at stable offset 0; post_upgrade restores it.
/// </summary>
public sealed class CounterModule : CanisterModule
{
    private readonly int version;

    public CounterModule(int version = 1) => this.version = version;

    public override string Name => "counter";

    public override int Version => version;

    public static HeapCell<ulong> Counter(Ic0 ic) => ic.Heap.Cell("counter", Storable.U64, 0UL);

    public static HeapMap<ulong, byte[]> Items(Ic0 ic) => ic.Heap.Map("items", Storable.U64, Storable.Bytes);

    public static HeapCell<ulong> TimerFired(Ic0 ic) => ic.Heap.Cell("timer_fired", Storable.U64, 0UL);

    public static HeapCell<ulong> Steps(Ic0 ic) => ic.Heap.Cell("steps", Storable.U64, 0UL);

    public override void Init(Ic0 ic, object? arg)
    {
        Counter(ic).Set(arg is ulong start ? start : 0);
        if (arg is "trap")
        {
            ic.Trap("init refused");
        }
    }

    public override void PreUpgrade(Ic0 ic)
    {
        if (ic.StableSize() == 0)
        {
            ic.StableGrow(1);
        }

        ic.StableMemory.WriteU64(0, Counter(ic).Get());
        if (Items(ic).ContainsKey(ulong.MaxValue))
        {
            ic.Trap("pre_upgrade refused");
        }

        if (Items(ic).TryGet(ulong.MaxValue - 1, out var burn))
        {
            ic.ChargeWasm(BitConverter.ToInt64(burn));
        }
    }

    public override void PostUpgrade(Ic0 ic, object? arg)
    {
        Counter(ic).Set(ic.StableMemory.ReadU64(0));
        switch (arg)
        {
            case "trap":
                ic.Trap("post_upgrade refused");
                break;
            case long burn:
                ic.ChargeWasm(burn);
                break;
        }
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<object?, ulong>("inc", (ic, _) => Increment(ic))
        .Query<object?, ulong>("get", (ic, _) => Counter(ic).Get())
        .Query<object?, ulong>("inc_in_query", (ic, _) => Increment(ic))
        .Update<(ulong Key, int Size), bool>("put", (ic, a) => Items(ic).Insert(a.Key, new byte[a.Size]))
        .Update<long, bool>("put_burn", (ic, n) => Items(ic).Insert(ulong.MaxValue - 1, BitConverter.GetBytes(n)))
        .Update<ulong, bool>("remove", (ic, key) => Items(ic).Remove(key))
        .Update<(ulong Offset, int Length), ulong>("write_stable", (ic, a) => WriteStable(ic, a.Offset, a.Length))
        .Query<ulong, byte>("read_stable", (ic, offset) => ReadByte(ic, offset))
        .Update<long, long>("burn", (ic, n) =>
        {
            ic.ChargeWasm(n);
            return n;
        })
        .Query<long, long>("burn_query", (ic, n) =>
        {
            ic.ChargeWasm(n);
            return n;
        })
        .Update<long, ulong>("set_timer", (ic, delayMs) => ic.SetTimer(TimeSpan.FromMilliseconds(delayMs), t => TimerFired(t).Set(TimerFired(t).Get() + 1)))
        .Update<long, ulong>("set_interval", (ic, everyMs) => ic.SetTimerInterval(TimeSpan.FromMilliseconds(everyMs), t => TimerFired(t).Set(TimerFired(t).Get() + 1)))
        .Update<long, ulong>("set_trapping_timer", (ic, delayMs) => ic.SetTimer(TimeSpan.FromMilliseconds(delayMs), t =>
        {
            TimerFired(t).Set(100);
            t.Trap("timer refused");
        }))
        .Query<object?, ulong>("timer_fired", (ic, _) => TimerFired(ic).Get())
        .Update<object?, ulong>("inc_then_trap", (ic, _) =>
        {
            Increment(ic);
            Items(ic).Insert(7, new byte[100]);
            WriteStable(ic, 0, 10_000);
            ic.SetTimer(TimeSpan.FromSeconds(1), _ => { });
            ic.Notify(ic.Self, "inc");
            ic.Trap("changed my mind");
            return 0;
        })
        .Update<object?, ulong>("swallow_trap", (ic, _) =>
        {
            Increment(ic);
            try
            {
                ic.Trap("caught?");
            }
            catch (CanisterTrap)
            {
                // Module code cannot recover: the next system call raises the trap again.
            }

            return Increment(ic);
        })
        .Update<object?, ulong>("step", (ic, _) =>
        {
            if (ic.Caller != ic.Self)
            {
                ic.Trap("step accepts only the canister itself");
            }

            var steps = Steps(ic);
            steps.Set(steps.Get() + 1);
            Items(ic).Insert(1000 + steps.Get(), new byte[10]);
            if (Items(ic).ContainsKey(2000 + steps.Get()))
            {
                ic.Trap($"step {steps.Get()} fails");
            }

            return steps.Get();
        })
        .UpdateAsync<int>("run_steps", (ic, n) => RunSteps(ic, n, []))
        .Query<object?, ulong>("steps", (ic, _) => Steps(ic).Get());

    /// <summary>Awaits one self-call per step: each step commits (or rolls back) on its own.</summary>
    private static Outcome RunSteps(Ic0 ic, int remaining, List<string> results) =>
        remaining == 0
            ? Outcome.Reply(string.Join(",", results))
            : Outcome.Await(ic.Call(ic.Self, "step"), (next, result) =>
            {
                results.Add(result.IsReply ? result.Reply!.ToString()! : "reject");
                return RunSteps(next, remaining - 1, results);
            });

    private static ulong Increment(Ic0 ic)
    {
        var counter = Counter(ic);
        counter.Set(counter.Get() + 1);
        return counter.Get();
    }

    private static ulong WriteStable(Ic0 ic, ulong offset, int length)
    {
        var end = offset + (ulong)length;
        var pages = (end + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
        if (pages > ic.StableSize())
        {
            ic.StableGrow(pages - ic.StableSize());
        }

        var bytes = new byte[length];
        Array.Fill(bytes, (byte)0xAB);
        ic.StableWrite(offset, bytes);
        return ic.StableSize();
    }

    private static byte ReadByte(Ic0 ic, ulong offset)
    {
        Span<byte> one = stackalloc byte[1];
        ic.StableRead(offset, one);
        return one[0];
    }
}
