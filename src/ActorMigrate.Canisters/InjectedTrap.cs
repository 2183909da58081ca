namespace ActorMigrate.Canisters;

/// <summary>
/// A fault a test arms on a canister (<see cref="Canister.InjectTrap"/>): the next update-like execution
/// (update, heartbeat, timer, response, install or upgrade — never a query) traps with this kind, as if
/// its code had hit it, and everything that execution changed is rolled back.
/// </summary>
public enum InjectedTrap
{
    /// <summary>ic0.trap (IC0503).</summary>
    Explicit,

    /// <summary>The execution's instruction limit (IC0522), reached through the metering itself.</summary>
    InstructionLimit,

    /// <summary>wasm_memory_limit (IC0539) where it applies, otherwise a failed heap allocation (IC0502).</summary>
    MemoryLimit,
}
