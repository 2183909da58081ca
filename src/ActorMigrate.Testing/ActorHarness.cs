using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using Akka.Actor;

namespace ActorMigrate.Testing;

/// <summary>
/// The harness over the actors: a <see cref="SubnetActor"/> with one CanisterActor per canister, in an
/// ActorSystem the harness creates (or the caller's). Every operation is a message and waits for its
/// answer, so a script runs exactly as on <see cref="EngineHarness"/> and gives the same trace.
/// </summary>
public sealed class ActorHarness : ICanisterHarness, IDisposable
{
    private readonly ActorSystem system;
    private readonly bool ownsSystem;

    /// <param name="settings">The subnet's settings; a volatile subnet (no journal) when null.</param>
    /// <param name="system">An ActorSystem to host the subnet in; the harness creates (and disposes) one when null.</param>
    /// <param name="modules">The modules a durable subnet's recovered canisters may name.</param>
    public ActorHarness(SubnetActorSettings? settings = null, ActorSystem? system = null, string subnetName = "subnet", ModuleRegistry? modules = null)
    {
        ownsSystem = system is null;
        this.system = system ?? ActorSystem.Create("actor-harness");
        Subnet = Create(this.system, SubnetActor.Props(settings ?? SubnetActorSettings.Volatile(), modules), subnetName);
    }

    /// <summary>
    /// The subnet actor under <paramref name="name"/>. A durable subnet recovers under the name of the one
    /// stopped before it (its canister directory's journal is keyed by it), and whoever watched that one
    /// hears of its termination before the guardian frees the name: creation waits for the name briefly.
    /// </summary>
    private static IActorRef Create(ActorSystem system, Props props, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return system.ActorOf(props, name);
            }
            catch (InvalidActorNameException) when (attempt < 500)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>How long one operation may take before the harness gives up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public IActorRef Subnet { get; }

    public Principal Controller { get; init; } = new("controller-user");

    public ulong Round => Read(s => s.Round);

    public ulong TimeNanos => Read(s => s.TimeNanos);

    public ulong TraceHash => Read(s => s.Trace.Hash);

    public Principal CreateCanister(Principal? controller = null) => Ask<CanisterCreated>(new CreateCanister(controller ?? Controller)).Canister;

    public CallResult TryInstallCode(Principal canister, InstallMode mode, CanisterModule module, object? arg = null, bool skipPreUpgrade = false, Principal? sender = null) =>
        Ask<CallResult>(new InstallCode(canister, mode, module, arg, sender ?? Controller, skipPreUpgrade));

    public void Tick(int rounds = 1)
    {
        if (rounds > 0)
        {
            Ask<RoundsRun>(new RunRounds(rounds));
        }
    }

    public void AdvanceTime(TimeSpan by) => Ask<RoundsRun>(new AdvanceTime(by));

    public CallResult TryUpdate(Principal canister, string method, object? arg = null, Principal? sender = null) =>
        Ask<CallResult>(new UpdateCall(canister, method, arg, sender ?? Controller));

    public CallResult TryQuery(Principal canister, string method, object? arg = null, Principal? sender = null) =>
        Ask<CallResult>(new QueryCall(canister, method, arg, sender ?? Controller));

    public CanisterError? Stop(Principal canister, Principal? sender = null) => Manage(canister, ManagementOperation.Stop, sender).Error;

    public CanisterError? Start(Principal canister, Principal? sender = null) => Manage(canister, ManagementOperation.Start, sender).Error;

    public CanisterError? Uninstall(Principal canister, Principal? sender = null) => Manage(canister, ManagementOperation.Uninstall, sender).Error;

    public ulong TakeSnapshot(Principal canister, Principal? sender = null)
    {
        var managed = Manage(canister, ManagementOperation.TakeSnapshot, sender);
        return managed.Error is { } error ? throw new CanisterRejectException(error) : managed.SnapshotId;
    }

    public CanisterError? LoadSnapshot(Principal canister, ulong snapshotId, Principal? sender = null) =>
        Manage(canister, ManagementOperation.LoadSnapshot, sender, snapshotId).Error;

    public byte[] StableMemoryImage(Principal canister) => Read(s => s[canister].StableMemory.ToArray());

    public CanisterReport Report(Principal canister) => Read(s =>
    {
        var c = s[canister];
        var m = c.Metrics;
        return new CanisterReport(c.Module?.ToString(), c.Module?.Version, c.Version, c.Status, c.Heap.SizeBytes, c.StableMemoryBytes, m.LastInstructionsUsed,
            m.Executions, m.Traps, m.RoundsBlocked, m.RoundsHeldBack, c.TimerTable.Count, [.. c.Log]);
    });

    public IReadOnlyList<ExecutionRecord> Executions(Principal canister, ulong? afterRound = null) =>
        Read<IReadOnlyList<ExecutionRecord>>(s => [.. s.Trace.After(afterRound).Where(r => r.Canister == canister)]);

    /// <summary>Reads the engine between rounds (the function must only read).</summary>
    public T Read<T>(Func<Canisters.Subnet, T> read) => (T)Ask<Inspected>(new Inspect(s => read(s))).Value!;

    /// <summary>
    /// Runs <paramref name="enqueue"/> while the subnet is held between rounds, so every command it sends
    /// is in the subnet's mailbox before the subnet takes any of them: the subnet starts a round behind
    /// the commands already queued, so one round then serves them all, whatever the thread timing.
    /// </summary>
    public T WhileHeld<T>(Func<T> enqueue)
    {
        using var gate = new ManualResetEventSlim();
        var held = Subnet.Ask<Inspected>(new Inspect(_ => gate.Wait(Timeout)), Timeout);
        try
        {
            return enqueue();
        }
        finally
        {
            gate.Set();
            held.GetAwaiter().GetResult();
        }
    }

    private Managed Manage(Principal canister, ManagementOperation operation, Principal? sender, ulong snapshotId = 0) =>
        Ask<Managed>(new Manage(canister, operation, sender ?? Controller, snapshotId));

    private T Ask<T>(ISubnetCommand command) => Subnet.Ask<T>(command, Timeout).GetAwaiter().GetResult();

    public void Dispose()
    {
        if (ownsSystem)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        else
        {
            Subnet.Tell(PoisonPill.Instance);
        }
    }
}
