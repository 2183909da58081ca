using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// Module-instance locals (<see cref="Heap.Local{T}"/>, a Rust thread_local): opened once and charged
/// once, kept across executions, and after a rollback exactly what the committed state says — the
/// value a Rust canister would still hold after the IC rolled its heap back.
/// </summary>
public sealed class HeapLocalTests
{
    private static long Instructions(EngineHarness ic, Principal id) => ic.Report(id).LastInstructionsUsed;

    [Fact]
    public void A_local_is_opened_and_charged_once_then_kept_across_executions()
    {
        var (ic, id) = Fixture.Installed(new LocalCounterModule());

        ic.Update<ulong>(id, "add", 1UL);
        var first = Instructions(ic, id);
        Assert.Equal(2UL, ic.Update<ulong>(id, "add", 1UL));
        var second = Instructions(ic, id);

        Assert.True(first - second >= LocalCounterModule.OpenCost, $"first {first}, second {second}: the second call must not reopen");
    }

    [Fact]
    public void After_a_trap_the_local_holds_the_committed_value_and_its_rebuild_is_free()
    {
        var (ic, id) = Fixture.Installed(new LocalCounterModule());
        ic.Update<ulong>(id, "add", 5UL);
        ic.Update<ulong>(id, "add", 1UL);
        var steady = Instructions(ic, id);

        Assert.NotNull(ic.TryUpdate(id, "add_then_trap", 100UL).Reject);

        // The trapped execution had changed the kept object; the committed counter is 6.
        Assert.Equal(6UL, ic.Query<ulong>(id, "get"));
        Assert.Equal(7UL, ic.Update<ulong>(id, "add", 1UL));
        Assert.Equal(steady, Instructions(ic, id));
    }

    [Fact]
    public void A_local_first_opened_in_a_trapped_execution_is_opened_and_charged_again()
    {
        var (ic, id) = Fixture.Installed(new LocalCounterModule());

        Assert.NotNull(ic.TryUpdate(id, "open_then_trap").Reject);
        ic.Update<ulong>(id, "add", 1UL);
        var afterTrap = Instructions(ic, id);
        ic.Update<ulong>(id, "add", 1UL);

        Assert.True(afterTrap - Instructions(ic, id) >= LocalCounterModule.OpenCost, "the open in the trapped execution was discarded with it");
    }

    [Fact]
    public void A_query_that_changed_stable_memory_leaves_no_trace_in_the_local()
    {
        var (ic, id) = Fixture.Installed(new LocalCounterModule());
        ic.Update<ulong>(id, "add", 3UL);

        Assert.Equal(13UL, ic.Query<ulong>(id, "add_in_query", 10UL));

        Assert.Equal(3UL, ic.Query<ulong>(id, "get"));
        Assert.Equal(4UL, ic.Update<ulong>(id, "add", 1UL));
    }

    [Fact]
    public void An_upgrade_starts_a_new_module_instance_whose_locals_are_opened_again()
    {
        var (ic, id) = Fixture.Installed(new LocalCounterModule());
        ic.Update<ulong>(id, "add", 2UL);
        ic.Update<ulong>(id, "add", 1UL);
        var steady = Instructions(ic, id);

        ic.Upgrade(id, new LocalCounterModule(version: 2));
        Assert.Equal(4UL, ic.Update<ulong>(id, "add", 1UL));

        Assert.True(Instructions(ic, id) - steady >= LocalCounterModule.OpenCost, "the new module instance opens its own handle");
    }

    [Fact]
    public void Locals_are_not_heap_state_they_change_neither_the_image_nor_the_digest()
    {
        var (ic, id) = Fixture.Installed(new LocalCounterModule());
        var heap = ic.Subnet[id].Heap;
        var (image, digest) = (heap.ToImage(), heap.Digest());

        ic.Update<ulong>(id, "add", 1UL);

        Assert.Equal(image, ic.Subnet[id].Heap.ToImage());
        Assert.Equal(digest, ic.Subnet[id].Heap.Digest());
    }
}
