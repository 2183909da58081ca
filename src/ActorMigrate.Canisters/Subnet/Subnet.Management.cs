using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// Queries and the management canister's synchronous operations: stop, start, uninstall, settings
/// and snapshots. Each waits out a sliced execution in progress first (ticking rounds), as the IC's
/// management messages wait for a paused execution.
/// </summary>
public sealed partial class Subnet
{
    /// <summary>A query: runs on the committed state now and is always discarded.</summary>
    public CallResult Query(Principal target, string method, object? arg, Principal caller)
    {
        if (CheckCallable(target, method, isQuery: true) is { } reject)
        {
            return CallResult.Rejected(reject);
        }

        var canister = canisters[target];
        canister.Module!.Endpoints.TryGet(method, out var endpoint);
        var result = canister.Run(new Work(ExecutionKind.Query, method, caller, CallOrigin.System, ic => endpoint.Invoke(ic, arg)), TimeNanos);
        canister.RollbackExecution();
        canister.Metrics.LastInstructionsUsed = result.InstructionsUsed;
        return result.Error is { } error ? CallResult.Rejected(error) : CallResult.Replied(result.Outcome.ReplyValue);
    }

    public CanisterError? StopCanister(Principal target, Principal sender) => Manage(target, sender, canister =>
    {
        if (canister.Status == CanisterStatus.Running)
        {
            canister.Status = canister.OpenCallContexts == 0 ? CanisterStatus.Stopped : CanisterStatus.Stopping;
            canister.Version++;
        }
    });

    public CanisterError? StartCanister(Principal target, Principal sender) => Manage(target, sender, canister =>
    {
        if (canister.Status != CanisterStatus.Running)
        {
            canister.Status = CanisterStatus.Running;
            canister.Version++;
        }
    });

    /// <summary>Removes the module, heap and stable memory; timers go too; callbacks are forgotten.</summary>
    public CanisterError? UninstallCode(Principal target, Principal sender) => Manage(target, sender, canister =>
    {
        canister.Module = null;
        canister.Code = null;
        canister.Heap = new Heap();
        canister.StableMemory = canister.NewStableMemory();
        canister.Timers = [];
        canister.GlobalTimerNanos = 0;
        canister.Callbacks.Clear();
        canister.Version++;
    });

    public CanisterError? UpdateSettings(Principal target, Principal sender, long? wasmMemoryLimitBytes = null, long? wasmMemoryThresholdBytes = null, Principal[]? controllers = null) =>
        Manage(target, sender, canister =>
        {
            canister.WasmMemoryLimitBytes = wasmMemoryLimitBytes ?? canister.WasmMemoryLimitBytes;
            canister.WasmMemoryThresholdBytes = wasmMemoryThresholdBytes ?? canister.WasmMemoryThresholdBytes;
            if (controllers is not null)
            {
                canister.SetControllers(controllers);
            }

            canister.Version++;
        });

    /// <summary>Takes a snapshot of module, heap and stable memory together; returns its id.</summary>
    public ulong TakeSnapshot(Principal target, Principal sender)
    {
        ulong id = 0;
        var error = Manage(target, sender, canister =>
        {
            id = ++canister.NextSnapshotId;
            canister.Snapshots[id] = new CanisterSnapshot(id, canister.Module, canister.Heap.Clone(), Copy(canister.StableMemory, canister),
                new SortedDictionary<ulong, CanisterTimer>(canister.Timers), canister.NextTimerId, canister.GlobalTimerNanos, TimeNanos);
        });
        return error is null ? id : throw new CanisterRejectException(error);
    }

    /// <summary>Restores module, heap and stable memory from a snapshot; the canister's version moves forward.</summary>
    public CanisterError? LoadSnapshot(Principal target, Principal sender, ulong snapshotId)
    {
        CanisterError? missing = null;
        var error = Manage(target, sender, canister =>
        {
            if (!canister.Snapshots.TryGetValue(snapshotId, out var snapshot))
            {
                missing = new CanisterError(ErrorCode.CanisterSnapshotNotFound, $"Could not find the snapshot ID {snapshotId} for canister {canister.Id}.");
                return;
            }

            canister.Module = snapshot.Module;
            canister.Code = snapshot.Module is null ? null : ModuleCode.Of(snapshot.Module);
            canister.Heap = snapshot.Heap.Clone();
            canister.StableMemory = Copy(snapshot.StableMemory, canister);
            canister.Timers = new SortedDictionary<ulong, CanisterTimer>(snapshot.Timers);
            canister.NextTimerId = snapshot.NextTimerId;
            canister.GlobalTimerNanos = snapshot.GlobalTimerNanos;
            canister.Version++;
        });
        return error ?? missing;
    }

    private CanisterError? Manage(Principal target, Principal sender, Action<Canister> change)
    {
        if (!canisters.TryGetValue(target, out var canister))
        {
            return new CanisterError(ErrorCode.CanisterNotFound, $"Canister {target} not found.");
        }

        if (!canister.IsController(sender))
        {
            return NotController(canister, sender);
        }

        while (canister.Sliced is not null)
        {
            Tick();
        }

        change(canister);
        return null;
    }

    /// <summary>A sparse copy: of a SparseMemory, its written pages; of another memory, its non-zero pages, page by page.</summary>
    private static IMemory Copy(IMemory source, Canister owner)
    {
        if (source is SparseMemory sparse)
        {
            return sparse.Clone(owner.NewStableMemoryMaxPages);
        }

        var copy = owner.NewStableMemory();
        copy.Grow(source.Size);
        var page = new byte[WasmPage.SizeInBytes];
        for (ulong i = 0; i < source.Size; i++)
        {
            source.Read(i * WasmPage.SizeInBytes, page);
            if (page.AsSpan().ContainsAnyExcept((byte)0))
            {
                copy.Write(i * WasmPage.SizeInBytes, page);
            }
        }

        return copy;
    }
}

/// <summary>A management operation the IC rejected.</summary>
public sealed class CanisterRejectException(CanisterError error) : Exception(error.ToString())
{
    public CanisterError Error { get; } = error;
}
