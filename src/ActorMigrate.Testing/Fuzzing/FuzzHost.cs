using ActorMigrate.Canisters;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>Where a fuzzed sequence runs: a harness, and the faults this host can inject.</summary>
public abstract class FuzzHost : IDisposable
{
    public abstract ICanisterHarness Harness { get; }

    /// <summary>True when <see cref="Crash"/> does something (the actors with a journal).</summary>
    public virtual bool CanCrash => false;

    /// <summary>Kills the host and recovers it from its journal; <see cref="Harness"/> is the recovered one afterwards.</summary>
    public virtual void Crash()
    {
    }

    /// <summary>Arms a trap for <paramref name="canister"/>'s next update-like execution.</summary>
    public abstract void InjectTrap(Principal canister, InjectedTrap kind);

    public virtual void Dispose()
    {
    }
}

/// <summary>The bare engine: fast, nothing to crash.</summary>
public sealed class EngineFuzzHost(SubnetSettings settings) : FuzzHost
{
    private readonly EngineHarness harness = new(settings);

    public override ICanisterHarness Harness => harness;

    public override void InjectTrap(Principal canister, InjectedTrap kind) => harness.Subnet[canister].InjectTrap(kind);
}
