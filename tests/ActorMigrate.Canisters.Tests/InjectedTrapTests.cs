using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>Canister.InjectTrap, the fuzzer's fault hook: the next update-like execution traps with the armed kind and changes nothing.</summary>
public sealed class InjectedTrapTests
{
    [Theory]
    [InlineData(InjectedTrap.Explicit, ErrorCode.CanisterCalledTrap)]
    [InlineData(InjectedTrap.InstructionLimit, ErrorCode.CanisterInstructionLimitExceeded)]
    [InlineData(InjectedTrap.MemoryLimit, ErrorCode.CanisterWasmMemoryLimitExceeded)]
    public void An_armed_trap_fails_the_next_update_with_its_code_rolls_it_back_and_fires_once(InjectedTrap kind, ErrorCode code)
    {
        var (ic, id) = Fixture.Installed();
        ic.Update<ulong>(id, "inc");
        var before = Fixture.Fingerprint(ic, id);
        ic.Subnet[id].InjectTrap(kind);

        Assert.Equal(1UL, ic.Query<ulong>(id, "get")); // a query does not take it
        var result = ic.TryUpdate(id, "inc");

        Assert.Equal(code, result.Reject?.Code);
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
        Assert.Null(ic.Subnet[id].PendingTrap);
        Assert.Equal(2UL, ic.Update<ulong>(id, "inc"));
    }

    [Fact]
    public void An_armed_trap_fails_an_upgrade_and_leaves_the_old_module()
    {
        var (ic, id) = Fixture.Installed();
        ic.Subnet[id].InjectTrap(InjectedTrap.Explicit);

        var result = ic.TryInstallCode(id, InstallMode.Upgrade, new CounterModule());

        Assert.Equal(ErrorCode.CanisterCalledTrap, result.Reject?.Code);
        Assert.Contains("injected fault", result.Reject!.Message, StringComparison.Ordinal);
    }
}
