using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>
/// Mutant 2: the pointer is advanced in a different execution from the chunk it belongs to. A step
/// copies its chunk but leaves the stored pointer where it was, keeping the new one on the heap; the
/// next step execution stores it. In between, writes to the copied keys are not dual-written.
/// </summary>
public sealed class PointerInLaterExecutionV3 : AccountsV3
{
    private const string PendingPointerCell = "pending_pointer";

    /// <summary>It writes the migration state cell itself, so a proxy kept open would not see it.</summary>
    protected override bool KeepsStoresOpen => false;

    protected override StepReport Step(Ic0 ic, Opened opened, StepSizing? sizing)
    {
        var cell = MigrationProxy<string, Account>.OpenState(ic, opened.Manager);
        var pending = ic.Heap.Cell(PendingPointerCell, Storable.Bytes, []);
        if (pending.Get() is { Length: > 0 } later && cell.Value.Phase == MigrationPhase.Migrating)
        {
            // The previous chunk's pointer, stored one execution late.
            cell.Set(cell.Value with { Pointer = later });
            opened = Open(ic);
            cell = MigrationProxy<string, Account>.OpenState(ic, opened.Manager);
        }

        pending.Set([]);
        var before = opened.Proxy.State.Pointer;
        var report = base.Step(ic, opened, sizing);
        var after = MigrationProxy<string, Account>.OpenState(ic, opened.Manager).Value; // the proxy wrote through a cell of its own
        cell = MigrationProxy<string, Account>.OpenState(ic, opened.Manager);
        if (after.Phase == MigrationPhase.Migrating && after.Pointer is { } moved)
        {
            cell.Set(after with { Pointer = before });
            pending.Set(moved);
        }

        return report;
    }
}
