namespace ActorMigrate.Migration;

/// <summary>What runs migration steps (the guide's step 7). post_upgrade always starts or resumes; these step.</summary>
[Flags]
public enum MigrationTriggers
{
    None = 0,
    Heartbeat = 1,
    Timer = 2,

    /// <summary>Heartbeat and timer steps go through a self-call, so a trapping step rolls back only itself and is retried smaller.</summary>
    SelfCall = 4,

    /// <summary>on_low_wasm_memory runs a budget-driven step.</summary>
    LowWasmMemory = 8,
}
