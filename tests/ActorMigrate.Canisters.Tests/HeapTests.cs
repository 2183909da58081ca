using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Canisters.Tests;

/// <summary>A module whose one endpoint applies a list of container operations, then traps or not.</summary>
public sealed class ScriptModule : CanisterModule
{
    public override string Name => "script";

    public override int Version => 1;

    protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
        .Update<(int[] Ops, bool Trap), int>("apply", (ic, a) =>
        {
            var map = ic.Heap.Map("m", Storable.U64, Storable.Bytes);
            var ordered = ic.Heap.OrderedMap("o", Storable.U64, Storable.U64);
            var vector = ic.Heap.Vector("v", Storable.U64);
            var cell = ic.Heap.Cell("c", Storable.Bytes, []);
            foreach (var op in a.Ops)
            {
                var key = (ulong)(op % 7);
                switch ((op / 7) % 6)
                {
                    case 0: map.Insert(key, new byte[op % 13]); break;
                    case 1: map.Remove(key); break;
                    case 2: ordered.Insert(key, (ulong)op); break;
                    case 3: ordered.Remove(key); break;
                    case 4: vector.Push((ulong)op); break;
                    default:
                        if (vector.Count > 0 && op % 2 == 0)
                        {
                            vector.Pop();
                        }
                        else
                        {
                            cell.Set(new byte[op % 5]);
                        }

                        break;
                }
            }

            if (a.Trap)
            {
                ic.Trap("script traps");
            }

            return a.Ops.Length;
        });
}

public sealed class HeapTests
{
    private static readonly Arbitrary<int[]> Ops = Gen.Choose(0, 500).ArrayOf().ToArbitrary();

    [Property(MaxTest = 60)]
    public Property A_trap_after_any_container_operations_restores_every_container_exactly(int[] setup) =>
        Prop.ForAll(Ops, ops =>
        {
            var ic = new EngineHarness();
            var id = ic.CreateAndInstall(new ScriptModule());
            ic.Update<int>(id, "apply", (setup.Select(Math.Abs).ToArray(), false));
            var heap = ic.Subnet[id].Heap;
            var before = (Convert.ToHexString(heap.Digest()), heap.LiveBytes, heap.SizeBytes);

            var trapped = ic.TryUpdate(id, "apply", (ops, true));

            return trapped.Reject is not null && before == (Convert.ToHexString(heap.Digest()), heap.LiveBytes, heap.SizeBytes);
        });

    [Property(MaxTest = 60)]
    public Property Live_bytes_equal_the_codec_sizes_of_what_the_containers_hold(int[] ops) =>
        Prop.ToProperty(Check(ops.Select(Math.Abs).ToArray()));

    private static bool Check(int[] ops)
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new ScriptModule());
        ic.Update<int>(id, "apply", (ops, false));
        var heap = ic.Subnet[id].Heap;
        var map = heap.Map("m", Storable.U64, Storable.Bytes).Peek().Sum(e => 8L + e.Value.Length);
        var ordered = heap.OrderedMap("o", Storable.U64, Storable.U64).Peek().Count() * 16L;
        var vector = heap.Vector("v", Storable.U64).Peek().Count * 8L;
        var cell = heap.Cell("c", Storable.Bytes, []).Peek().Length;
        return heap.LiveBytes == map + ordered + vector + cell && heap.SizeBytes >= heap.LiveBytes;
    }

    [Fact]
    public void Heap_containers_refuse_changes_outside_an_execution()
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new CounterModule());
        var counter = ic.Subnet[id].Heap.Cell("counter", Storable.U64, 0UL);

        Assert.Throws<InvalidOperationException>(() => counter.Set(5));
    }
}
