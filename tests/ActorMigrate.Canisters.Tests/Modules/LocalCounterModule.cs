using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// A canister keeping a handle in a module-instance local (<see cref="Heap.Local{T}"/>), as a Rust
/// canister keeps a stable structure in a thread_local: a counter read from stable offset 0 once, kept
/// in memory and written through on every change.
/// </summary>
public sealed class LocalCounterModule : CanisterModule
{
    private readonly int version;

    public LocalCounterModule(int version = 1) => this.version = version;

    /// <summary>The kept handle: its value mirrors stable memory, and reading it at open is charged like any stable read.</summary>
    public sealed class StableCounter
    {
        private readonly Ic0 ic;

        public StableCounter(Ic0 ic)
        {
            this.ic = ic;
            if (ic.StableSize() == 0)
            {
                ic.StableGrow(1);
            }

            Value = ic.StableMemory.ReadU64(0);
            ic.ChargeWasm(OpenCost);
        }

        public ulong Value { get; private set; }

        public void Add(ulong n)
        {
            Value += n;
            ic.StableMemory.WriteU64(0, Value);
        }
    }

    /// <summary>What opening the handle charges beyond its stable read: large, so a test sees whether it was opened.</summary>
    public const long OpenCost = 1_000_000;

    public override string Name => "local-counter";

    public override int Version => version;

    private static StableCounter Counter(Ic0 ic) => ic.Heap.Local("counter", () => new StableCounter(ic));

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<ulong, ulong>("add", (ic, n) =>
        {
            Counter(ic).Add(n);
            return Counter(ic).Value;
        })
        .Update<ulong, ulong>("add_then_trap", (ic, n) =>
        {
            Counter(ic).Add(n);
            ic.Trap("changed my mind");
            return 0;
        })
        .Update<object?, ulong>("open_then_trap", (ic, _) =>
        {
            _ = Counter(ic);
            ic.Trap("opened, then trapped");
            return 0;
        })
        .Query<object?, ulong>("get", (ic, _) => Counter(ic).Value)
        .Query<ulong, ulong>("add_in_query", (ic, n) =>
        {
            Counter(ic).Add(n);
            return Counter(ic).Value;
        });
}
