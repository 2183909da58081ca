namespace ActorMigrate.Canisters;

/// <summary>
/// A trap unwinding module code. Module code must not catch it; if it does, the system API raises it
/// again on the next call and the engine still treats the execution as trapped, so a caught trap
/// changes nothing.
/// </summary>
public sealed class CanisterTrap(CanisterError error) : Exception(error.ToString())
{
    public CanisterError Error { get; } = error;
}
