using ActorMigrate.Canisters;

namespace ActorMigrate.Testing;

/// <summary>The throwing, typed forms of the harness calls, for tests that expect success.</summary>
public static class HarnessExtensions
{
    public static void Install(this ICanisterHarness ic, Principal canister, CanisterModule module, object? arg = null, Principal? sender = null) =>
        ic.TryInstallCode(canister, InstallMode.Install, module, arg, sender: sender).Unwrap();

    public static void Reinstall(this ICanisterHarness ic, Principal canister, CanisterModule module, object? arg = null, Principal? sender = null) =>
        ic.TryInstallCode(canister, InstallMode.Reinstall, module, arg, sender: sender).Unwrap();

    /// <summary>Upgrade — or downgrade: an upgrade to an older module.</summary>
    public static void Upgrade(this ICanisterHarness ic, Principal canister, CanisterModule module, object? arg = null, bool skipPreUpgrade = false, Principal? sender = null) =>
        ic.TryInstallCode(canister, InstallMode.Upgrade, module, arg, skipPreUpgrade, sender).Unwrap();

    /// <summary>A downgrade: an upgrade to a module of a lower version than the installed one (checked).</summary>
    public static void Downgrade(this ICanisterHarness ic, Principal canister, CanisterModule olderModule, object? arg = null, bool skipPreUpgrade = false, Principal? sender = null)
    {
        var installed = ic.Report(canister).ModuleVersion;
        if (installed is null || olderModule.Version >= installed)
        {
            throw new ArgumentException($"{olderModule} is not older than the installed module (version {installed?.ToString() ?? "none"})");
        }

        ic.Upgrade(canister, olderModule, arg, skipPreUpgrade, sender);
    }

    public static TReply Update<TReply>(this ICanisterHarness ic, Principal canister, string method, object? arg = null, Principal? sender = null) =>
        (TReply)ic.TryUpdate(canister, method, arg, sender).Unwrap()!;

    public static TReply Query<TReply>(this ICanisterHarness ic, Principal canister, string method, object? arg = null, Principal? sender = null) =>
        (TReply)ic.TryQuery(canister, method, arg, sender).Unwrap()!;

    public static object? Unwrap(this CallResult result) =>
        result.Reject is { } error ? throw new CanisterRejectException(error) : result.Reply;

    public static Principal CreateAndInstall(this ICanisterHarness ic, CanisterModule module, object? arg = null)
    {
        var canister = ic.CreateCanister();
        ic.Install(canister, module, arg);
        return canister;
    }
}
