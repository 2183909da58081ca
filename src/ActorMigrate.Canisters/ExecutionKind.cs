namespace ActorMigrate.Canisters;

/// <summary>What an execution runs; it decides the instruction limit, the dirty-page limit and whether wasm_memory_limit applies.</summary>
public enum ExecutionKind
{
    Init,
    Upgrade,
    Update,
    Query,
    Heartbeat,
    Timer,
    GlobalTimer,
    OnLowWasmMemory,
    /// <summary>The continuation after an awaited call: a separate execution of the caller.</summary>
    Response,
}
