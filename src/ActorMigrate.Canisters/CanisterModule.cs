namespace ActorMigrate.Canisters;

/// <summary>
/// The C# stand-in for a Wasm module: code only. All state lives in the heap the engine hands to each
/// execution (<see cref="Ic0.Heap"/>) and in stable memory, so one module instance can be installed on
/// any number of canisters. The engine checks this when a module is installed (<see cref="ModuleCode"/>):
/// a module's fields must be read-only references to code (delegates, codecs, strings, numbers).
/// </summary>
public abstract class CanisterModule
{
    private EndpointTable? endpoints;

    /// <summary>The module's name; <see cref="Version"/> tells versions of one canister's code apart.</summary>
    public abstract string Name { get; }

    public abstract int Version { get; }

    public EndpointTable Endpoints => endpoints ??= Declare();

    private EndpointTable Declare()
    {
        var table = new EndpointTable();
        DeclareEndpoints(table);
        return table;
    }

    protected abstract void DeclareEndpoints(EndpointTable endpoints);

    /// <summary><c>canister_init</c>: runs on install and reinstall.</summary>
    public virtual void Init(Ic0 ic, object? arg)
    {
    }

    /// <summary><c>canister_pre_upgrade</c>: runs on the old module before an upgrade (unless skipped).</summary>
    public virtual void PreUpgrade(Ic0 ic)
    {
    }

    /// <summary><c>canister_post_upgrade</c>: runs on the new module with a fresh heap.</summary>
    public virtual void PostUpgrade(Ic0 ic, object? arg)
    {
    }

    /// <summary><c>canister_heartbeat</c>: once per round when overridden.</summary>
    public virtual Outcome Heartbeat(Ic0 ic) => Outcome.Done;

    /// <summary><c>canister_global_timer</c>: when the global timer is due.</summary>
    public virtual Outcome GlobalTimer(Ic0 ic) => Outcome.Done;

    /// <summary><c>canister_on_low_wasm_memory</c>: once when free Wasm memory falls below the threshold.</summary>
    public virtual Outcome OnLowWasmMemory(Ic0 ic) => Outcome.Done;

    public override string ToString() => $"{Name} v{Version}";
}
