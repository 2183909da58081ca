namespace ActorMigrate.Canisters;

/// <summary>A message waiting in the subnet's queue for the next round.</summary>
internal abstract record SubnetMessage(Principal Target);

/// <summary>An update call from a user (PocketIC's update_call).</summary>
internal sealed record IngressMessage(ulong Id, Principal Target, string Method, object? Arg, Principal Caller) : SubnetMessage(Target);

/// <summary>A call from one canister to another (or to itself).</summary>
internal sealed record RequestMessage(Principal Source, ulong CallbackId, Principal Target, string Method, object? Arg) : SubnetMessage(Target);

/// <summary>The answer to a <see cref="RequestMessage"/>, delivered to the caller's callback.</summary>
internal sealed record ResponseMessage(Principal Target, ulong CallbackId, CallResult Result) : SubnetMessage(Target);

/// <summary>install_code from a controller: install, reinstall or upgrade.</summary>
internal sealed record InstallCodeMessage(ulong Id, Principal Target, Principal Sender, InstallMode Mode, CanisterModule Module, object? Arg, bool SkipPreUpgrade)
    : SubnetMessage(Target);

public enum InstallMode
{
    Install,
    Reinstall,
    Upgrade,
}
