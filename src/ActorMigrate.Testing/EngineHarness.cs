using ActorMigrate.Actors.Configuration;
using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Testing;

/// <summary>The harness over the synchronous engine: one <see cref="Subnet"/>, driven at full speed.</summary>
public sealed class EngineHarness(SubnetSettings? settings = null) : ICanisterHarness
{
    /// <summary>A harness on a subnet configured by a HOCON file (hocon/actormigrate.conf or a copy with some keys changed).</summary>
    public static EngineHarness FromHocon(string hoconFile) => new(SubnetSettingsHocon.Load(hoconFile));

    /// <summary>Rounds an update or install may take before the harness gives up (a sliced install needs up to 150).</summary>
    public int MaxRoundsPerCall { get; init; } = 10_000;

    public Subnet Subnet { get; } = new(settings);

    public Principal Controller { get; init; } = new("controller-user");

    public ulong Round => Subnet.Round;

    public ulong TimeNanos => Subnet.TimeNanos;

    public ulong TraceHash => Subnet.Trace.Hash;

    public Principal CreateCanister(Principal? controller = null) => Subnet.CreateCanister(controller ?? Controller).Id;

    public CallResult TryInstallCode(Principal canister, InstallMode mode, CanisterModule module, object? arg = null, bool skipPreUpgrade = false, Principal? sender = null) =>
        AwaitResult(Subnet.SubmitInstallCode(canister, sender ?? Controller, mode, module, arg, skipPreUpgrade));

    public void Tick(int rounds = 1)
    {
        for (var i = 0; i < rounds; i++)
        {
            Subnet.Tick();
        }
    }

    public void AdvanceTime(TimeSpan by) => Subnet.AdvanceTime(by);

    public CallResult TryUpdate(Principal canister, string method, object? arg = null, Principal? sender = null) =>
        AwaitResult(Subnet.SubmitIngress(canister, method, arg, sender ?? Controller));

    public CallResult TryQuery(Principal canister, string method, object? arg = null, Principal? sender = null) =>
        Subnet.Query(canister, method, arg, sender ?? Controller);

    private CallResult AwaitResult(ulong messageId)
    {
        for (var rounds = 0; rounds < MaxRoundsPerCall; rounds++)
        {
            Subnet.Tick();
            if (Subnet.TryTakeResult(messageId, out var result))
            {
                return result;
            }
        }

        throw new TimeoutException($"message {messageId} got no answer within {MaxRoundsPerCall} rounds");
    }

    public CanisterError? Stop(Principal canister, Principal? sender = null) => Subnet.StopCanister(canister, sender ?? Controller);

    public CanisterError? Start(Principal canister, Principal? sender = null) => Subnet.StartCanister(canister, sender ?? Controller);

    public CanisterError? Uninstall(Principal canister, Principal? sender = null) => Subnet.UninstallCode(canister, sender ?? Controller);

    public ulong TakeSnapshot(Principal canister, Principal? sender = null) => Subnet.TakeSnapshot(canister, sender ?? Controller);

    public CanisterError? LoadSnapshot(Principal canister, ulong snapshotId, Principal? sender = null) =>
        Subnet.LoadSnapshot(canister, sender ?? Controller, snapshotId);

    public byte[] StableMemoryImage(Principal canister) => Subnet[canister].StableMemory.ToArray();

    public CanisterReport Report(Principal canister)
    {
        var c = Subnet[canister];
        var m = c.Metrics;
        return new CanisterReport(c.Module?.ToString(), c.Module?.Version, c.Version, c.Status, c.Heap.SizeBytes, c.StableMemoryBytes, m.LastInstructionsUsed,
            m.Executions, m.Traps, m.RoundsBlocked, m.RoundsHeldBack, c.TimerTable.Count, c.Log);
    }

    public IReadOnlyList<ExecutionRecord> Executions(Principal canister, ulong? afterRound = null) =>
        [.. Subnet.Trace.After(afterRound).Where(r => r.Canister == canister)];
}
