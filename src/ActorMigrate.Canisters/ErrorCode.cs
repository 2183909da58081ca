namespace ActorMigrate.Canisters;

/// <summary>The IC's error codes the engine reproduces (ic_error_types::ErrorCode); printed as IC0nnn.</summary>
public enum ErrorCode
{
    CanisterInstallCodeRateLimited = 209,
    CanisterNotFound = 301,
    CanisterSnapshotNotFound = 305,
    CanisterTrapped = 502,
    CanisterCalledTrap = 503,
    CanisterContractViolation = 504,
    CanisterDidNotReply = 506,
    CanisterOutOfMemory = 507,
    CanisterStopped = 508,
    CanisterStopping = 509,
    CanisterInvalidController = 512,
    CanisterMethodNotFound = 536,
    CanisterNonEmpty = 514,
    CanisterInstructionLimitExceeded = 522,
    CanisterMemoryAccessLimitExceeded = 524,
    CanisterWasmModuleNotFound = 537,
    CanisterWasmMemoryLimitExceeded = 539,

    /// <summary>
    /// Not an IC code: the simulator's own, for its one deviation the IC never has — a host process that
    /// crashed while a call was open. After recovery the call is answered with this reject.
    /// </summary>
    CallLostInCrash = 900,
}

/// <summary>An error as the IC reports it: code and message, printed <c>IC0522: Canister exceeded …</c>.</summary>
public sealed record CanisterError(ErrorCode Code, string Message)
{
    public string CodeText => $"IC{(int)Code:D4}";

    public override string ToString() => $"{CodeText}: {Message}";
}
