using ActorMigrate.Canisters;

namespace ActorMigrate.Testing;

/// <summary>
/// A PocketIC-like test harness: a subnet to create canisters on, install/upgrade/downgrade them,
/// tick rounds, move time, call them and look inside (stable memory image, metrics, snapshots).
/// Implemented over the engine (<see cref="EngineHarness"/>); the actor layer can implement it too.
/// Operations that the IC rejects throw <see cref="CanisterRejectException"/>; the <c>Try…</c> forms return the reject.
/// </summary>
public interface ICanisterHarness
{
    /// <summary>The default sender of every call and the controller of created canisters.</summary>
    Principal Controller { get; }

    ulong Round { get; }

    ulong TimeNanos { get; }

    Principal CreateCanister(Principal? controller = null);

    CallResult TryInstallCode(Principal canister, InstallMode mode, CanisterModule module, object? arg = null, bool skipPreUpgrade = false, Principal? sender = null);

    void Tick(int rounds = 1);

    void AdvanceTime(TimeSpan by);

    /// <summary>An update call: queued as ingress and ticked until answered.</summary>
    CallResult TryUpdate(Principal canister, string method, object? arg = null, Principal? sender = null);

    CallResult TryQuery(Principal canister, string method, object? arg = null, Principal? sender = null);

    CanisterError? Stop(Principal canister, Principal? sender = null);

    CanisterError? Start(Principal canister, Principal? sender = null);

    CanisterError? Uninstall(Principal canister, Principal? sender = null);

    ulong TakeSnapshot(Principal canister, Principal? sender = null);

    CanisterError? LoadSnapshot(Principal canister, ulong snapshotId, Principal? sender = null);

    /// <summary>A copy of the canister's stable memory.</summary>
    byte[] StableMemoryImage(Principal canister);

    CanisterReport Report(Principal canister);

    /// <summary>The executions of one canister still in the trace, oldest first; with <paramref name="afterRound"/>, only those of later rounds.</summary>
    IReadOnlyList<ExecutionRecord> Executions(Principal canister, ulong? afterRound = null);

    /// <summary>A hash of everything that ran: same seed and script, same hash.</summary>
    ulong TraceHash { get; }
}
