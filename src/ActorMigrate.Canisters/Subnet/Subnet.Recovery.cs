using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// Bringing a subnet back from durable state (the actor layer's journal): canisters restored as of
/// their last durable round, and the clock restored past every one of them.
/// </summary>
public sealed partial class Subnet
{
    /// <summary>
    /// Adds canister <paramref name="id"/> as it was durably recorded: module, version, status,
    /// controllers, memory settings, global timer and stable memory. Its heap starts empty and it has
    /// no timers and no open call contexts: those are module state the durable record does not hold.
    /// </summary>
    public Canister RestoreCanister(
        Principal id,
        IEnumerable<Principal> controllers,
        CanisterModule? module,
        ulong version,
        CanisterStatus status,
        IMemory stableMemory,
        long wasmMemoryLimitBytes,
        long wasmMemoryThresholdBytes,
        ulong globalTimerNanos)
    {
        var canister = new Canister(id, controllers, Settings)
        {
            Module = module,
            Code = module is null ? null : ModuleCode.Of(module),
            Version = version,
            Status = status == CanisterStatus.Stopping ? CanisterStatus.Stopped : status, // no call context survives
            StableMemory = stableMemory,
            WasmMemoryLimitBytes = wasmMemoryLimitBytes,
            WasmMemoryThresholdBytes = wasmMemoryThresholdBytes,
            GlobalTimerNanos = globalTimerNanos,
        };
        if (!canisters.TryAdd(id, canister))
        {
            throw new InvalidOperationException($"canister {id} already exists on this subnet");
        }

        nextCanister++;
        return canister;
    }

    /// <summary>Sets the round counter and the clock after a recovery (both only move forward).</summary>
    public void RestoreClock(ulong round, ulong timeNanos)
    {
        Round = Math.Max(Round, round);
        TimeNanos = Math.Max(TimeNanos, timeNanos);
    }
}
