using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Tests;

/// <summary>Fills its heap on request and counts on_low_wasm_memory calls; awaits a self-call whose continuation can trap.</summary>
public sealed class LowMemoryModule : CanisterModule
{
    public override string Name => "low-memory";

    public override int Version => 1;

    private static HeapCell<ulong> Hooks(Ic0 ic) => ic.Heap.Cell("hooks", Storable.U64, 0UL);

    private static HeapVector<byte[]> Ballast(Ic0 ic) => ic.Heap.Vector("ballast", Storable.Bytes);

    private static HeapCell<ulong> Marks(Ic0 ic) => ic.Heap.Cell("marks", Storable.U64, 0UL);

    public override Outcome OnLowWasmMemory(Ic0 ic)
    {
        Hooks(ic).Set(Hooks(ic).Get() + 1);
        return Outcome.Done;
    }

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<int, int>("fill", (ic, bytes) =>
        {
            Ballast(ic).Push(new byte[bytes]);
            return Ballast(ic).Count;
        })
        .Query<object?, ulong>("hooks", (ic, _) => Hooks(ic).Get())
        .Query<object?, ulong>("marks", (ic, _) => Marks(ic).Get())
        .Update<object?, ulong>("mark", (ic, _) =>
        {
            Marks(ic).Set(Marks(ic).Get() + 1);
            return Marks(ic).Get();
        })
        .UpdateAsync<bool>("mark_then_await", (ic, trapAfter) =>
        {
            Marks(ic).Set(Marks(ic).Get() + 10);
            return Outcome.Await(ic.Call(ic.Self, "mark"), (next, result) =>
            {
                Marks(next).Set(Marks(next).Get() + 100);
                if (trapAfter)
                {
                    next.Trap("continuation refused");
                }

                return Outcome.Reply(Marks(next).Get());
            });
        });
}
