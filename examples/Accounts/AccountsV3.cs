using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Accounts;

/// <summary>
/// v3: accounts in a StableBTreeMap in memory 2, reached through the migration proxy. post_upgrade
/// starts the heap → stable migration (or resumes one, or migrates atomically when it fits); steps run
/// in heartbeat, timer, on_low_wasm_memory or a self-call; <c>start_migration</c> starts the reverse
/// migration (the in-binary rollback) and <c>step_migration</c> steps for the canister itself or a controller.
/// </summary>
public class AccountsV3 : CanisterModule, IMigratingModule
{
    public const string SettingsCell = "migration_settings";

    public override string Name => "accounts";

    public override int Version => 3;

    /// <summary>Everything an execution needs: the manager, the stores and the proxy.</summary>
    protected sealed record Opened(MemoryManager Manager, HeapStore<string, Account> Heap, MigrationProxy<string, Account> Proxy);

    /// <summary>The stores and the proxy, opened once per module instance (a Rust canister keeps them in a <c>thread_local!</c>).</summary>
    protected Opened Open(Ic0 ic) => KeepsStoresOpen ? ic.Heap.Local("accounts-v3/opened", () => OpenStores(ic)) : OpenStores(ic);

    /// <summary>
    /// Whether the stores stay open across executions. A module that writes the migration state behind
    /// the proxy's back must reopen them each time, or its proxy keeps the state it read (the fuzzer's mutant 2).
    /// </summary>
    protected virtual bool KeepsStoresOpen => true;

    private Opened OpenStores(Ic0 ic)
    {
        var manager = StableLayout.Manager(ic);
        var heap = AccountsHeap.Open(ic);
        var stable = StableStore<string, Account>.Open(ic, manager, StableLayout.RecordsMemory, AccountCodec.Keys, AccountCodec.Instance);
        var proxy = new MigrationProxy<string, Account>(ic, heap, stable, MigrationProxy<string, Account>.OpenState(ic, manager), AccountCodec.Keys, AccountCodec.Instance,
            RoutingPolicy);
        return new Opened(manager, heap, proxy);
    }

    /// <summary>A routing policy of this module's own, or null for the one the migration state names (the fuzzer's mutants override it).</summary>
    protected virtual IRoutingPolicy<string, Account>? RoutingPolicy => null;

    /// <summary>A step; when it switched the authoritative store, the label on disk follows in the same execution.</summary>
    private StepReport StepAndLabel(Ic0 ic, Opened opened, StepSizing? sizing)
    {
        var report = Step(ic, opened, sizing);
        if (report.Phase == MigrationPhase.Completed && PreUpgradeWritesLabel)
        {
            var reopened = Open(ic);
            reopened.Proxy.State.Authoritative.Write(ic.VirtualMemory(reopened.Manager, StableLayout.SchemaLabelMemory));
        }

        return report;
    }

    /// <summary>One migration step, from whichever trigger; the proxy's step unless overridden (the fuzzer's mutants do).</summary>
    protected virtual StepReport Step(Ic0 ic, Opened opened, StepSizing? sizing) => opened.Proxy.Step(sizing);

    protected static MigrationSettings Settings(Ic0 ic) => ic.Heap.Cell(SettingsCell, MigrationSettingsCodec.Instance, MigrationSettings.Default).Get();

    /// <summary>
    /// Which store holds the accounts for the upgrade hooks. Correct: the migration state's authoritative
    /// store. (Bug #4626 answered from the schema label on disk instead.)
    /// </summary>
    protected virtual SchemaLabel StoreOfRecord(MigrationState state, SchemaLabel? labelOnDisk) => state.Authoritative;

    /// <summary>
    /// Whether the label on disk is kept up to date — by pre_upgrade, and by the step that switches the
    /// authoritative store (the fix of #4626 does). Without the second, an upgrade with skip_pre_upgrade
    /// after a completed migration found a stale "HEAP" label and an empty heap (found by the fuzzer).
    /// </summary>
    protected virtual bool PreUpgradeWritesLabel => true;

    /// <summary>
    /// Whether pre_upgrade hands the heap to post_upgrade. Correct: when the heap is the store of record,
    /// and always part way through a migration (the heap then holds the source, or the target's half).
    /// </summary>
    protected virtual bool PreUpgradeSavesHeap(MigrationState state, SchemaLabel? labelOnDisk) =>
        StoreOfRecord(state, labelOnDisk) == SchemaLabel.Heap || state.Phase == MigrationPhase.Migrating;

    /// <summary>The label post_upgrade leaves on disk. Correct: the store of record.</summary>
    protected virtual SchemaLabel LabelAfterPostUpgrade(MigrationState state, SchemaLabel? labelOnDisk) => StoreOfRecord(state, labelOnDisk);

    protected override void DeclareEndpoints(EndpointTable endpoints) => AccountEndpoints.Declare(endpoints, ic => Open(ic).Proxy)
        .Update<int, StepReport>("step_migration", (ic, chunk) =>
        {
            StepAuthorization.Require(ic);
            return StepAndLabel(ic, Open(ic), chunk > 0 ? StepSizing.Fixed(chunk) : null);
        })
        .Update<(MigrationDirection Direction, MigrationSettings Settings), MigrationState>("start_migration", (ic, a) =>
        {
            StepAuthorization.Require(ic);
            ic.Heap.Cell(SettingsCell, MigrationSettingsCodec.Instance, MigrationSettings.Default).Set(a.Settings);
            var proxy = Open(ic).Proxy;
            proxy.Start(a.Direction, a.Settings.Policy, a.Settings.Sizing);
            return proxy.State;
        })
        .Query<object?, MigrationState>("migration_state", (ic, _) => Open(ic).Proxy.State);

    public override void Init(Ic0 ic, object? arg)
    {
        var opened = Open(ic);
        opened.Proxy.Reset(SchemaLabel.Stable);
        SchemaLabel.Stable.Write(ic.VirtualMemory(opened.Manager, StableLayout.SchemaLabelMemory));
        Arm(ic, arg as MigrationSettings ?? MigrationSettings.Default);
    }

    public override void PreUpgrade(Ic0 ic)
    {
        var opened = Open(ic);
        var state = opened.Proxy.State;
        var labelMemory = ic.VirtualMemory(opened.Manager, StableLayout.SchemaLabelMemory);
        var labelOnDisk = SchemaLabel.Read(labelMemory);
        var ofRecord = StoreOfRecord(state, labelOnDisk);
        if (PreUpgradeSavesHeap(state, labelOnDisk))
        {
            // The heap holds the accounts, or half of a migration: hand it to post_upgrade.
            new UpgradeBlob(3, state.Epoch, opened.Heap.Map.Serialize()).Write(ic.VirtualMemory(opened.Manager, StableLayout.UpgradeBlobMemory));
        }

        if (PreUpgradeWritesLabel)
        {
            // Records split by a pointer-routed migration: "STBL" tells v2 to read the stable map and the blob.
            var split = state.Phase == MigrationPhase.Migrating && state.Policy == RoutingPolicyKind.PointerRouted;
            (split ? SchemaLabel.Stable : ofRecord).Write(labelMemory);
        }
    }

    public override void PostUpgrade(Ic0 ic, object? arg)
    {
        var settings = arg as MigrationSettings ?? MigrationSettings.Default;
        var fromV1 = AccountsHeap.TryReadRawV1(ic);
        var opened = Open(ic);
        var proxy = opened.Proxy;
        var labelMemory = ic.VirtualMemory(opened.Manager, StableLayout.SchemaLabelMemory);
        var blobMemory = ic.VirtualMemory(opened.Manager, StableLayout.UpgradeBlobMemory);
        var label = SchemaLabel.Read(labelMemory);
        var blob = UpgradeBlob.Read(blobMemory);
        // v3 leaves a blob of its own, or none when the stable map is the store of record; v2 always leaves one.
        var fromV3 = !fromV1 && (blob?.Writer == 3 || (blob is null && label == SchemaLabel.Stable));
        if (blob is not null)
        {
            opened.Heap.Map.Deserialize(blob.Bytes);
        }

        UpgradeBlob.Consume(blobMemory);
        if (!fromV3)
        {
            // An older version ran since: whatever the state says, the accounts are where it left them.
            proxy.Reset(fromV1 || label != SchemaLabel.Stable ? SchemaLabel.Heap : SchemaLabel.Stable);
        }
        else if (StoreOfRecord(proxy.State, label) != proxy.State.Authoritative)
        {
            proxy.Reset(StoreOfRecord(proxy.State, label));
        }

        if (settings.StartOnUpgrade && !proxy.IsRouting && proxy.State.Authoritative == SchemaLabel.Heap)
        {
            proxy.Start(MigrationDirection.HeapToStable, settings.Policy, settings.Sizing);
        }

        if (proxy.State.Phase == MigrationPhase.Migrating && settings.Atomic != AtomicMode.Never &&
            !AtomicMigration.TryRunToEnd(ic, proxy, settings) && settings.Atomic == AtomicMode.WhenItFitsElseFailUpgrade)
        {
            ic.Trap("post_upgrade: the atomic migration does not fit the upgrade's limits; the upgrade fails and the old module stays");
        }

        LabelAfterPostUpgrade(proxy.State, label).Write(labelMemory);
        Arm(ic, settings);
    }

    private void Arm(Ic0 ic, MigrationSettings settings)
    {
        ic.Heap.Cell(SettingsCell, MigrationSettingsCodec.Instance, MigrationSettings.Default).Set(settings);
        if (settings.Triggers.HasFlag(MigrationTriggers.Timer))
        {
            ic.SetTimerInterval(settings.TimerInterval, StepTriggered);
        }
    }

    public override Outcome Heartbeat(Ic0 ic) =>
        Settings(ic).Triggers.HasFlag(MigrationTriggers.Heartbeat) ? StepTriggered(ic) : Outcome.Done;

    public override Outcome OnLowWasmMemory(Ic0 ic)
    {
        if (Settings(ic).Triggers.HasFlag(MigrationTriggers.LowWasmMemory))
        {
            StepAndLabel(ic, Open(ic), StepSizing.Budget(500));
        }

        return Outcome.Done;
    }

    /// <summary>A heartbeat or timer step: inline, or through a self-call retried with half the chunk when it traps.</summary>
    private Outcome StepTriggered(Ic0 ic)
    {
        var settings = Settings(ic);
        var opened = Open(ic);
        if (opened.Proxy.State.Phase != MigrationPhase.Migrating)
        {
            return Outcome.Done;
        }

        if (!settings.Triggers.HasFlag(MigrationTriggers.SelfCall))
        {
            StepAndLabel(ic, opened, null);
            return Outcome.Done;
        }

        // The migration's own sizing (fixed when it started), as the inline step uses: a later upgrade's
        // settings must not make self-call steps smaller than the state says (found by the fuzzer).
        var sizing = opened.Proxy.State.Sizing;
        return SelfStep(ic, sizing.BudgetDriven ? -1 : sizing.ChunkSize);
    }

    private static Outcome SelfStep(Ic0 ic, int chunk) =>
        Outcome.Await(ic.Call(ic.Self, "step_migration", chunk), (next, result) =>
            result.IsReply || chunk is 1 or -1
                ? Outcome.Done
                : SelfStep(next, Math.Max(1, chunk / 2)));
}
