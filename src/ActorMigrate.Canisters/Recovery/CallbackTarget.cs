namespace ActorMigrate.Canisters;

/// <summary>What a recoverable callback runs on.</summary>
public enum CallbackTarget : byte
{
    Static = 0,
    Module = 1,
    StatelessClosure = 2,
}
