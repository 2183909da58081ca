using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>
/// Deterministic time slicing of an install_code longer than a slice: the measured run is kept and
/// committed in the last slice (the body runs once), while the committed state stays the old one.
/// </summary>
public sealed class SlicedUpgradeTests
{
    private const long SevenBillion = 7_000_000_000L; // 4 slices of 2 B

    [Fact]
    public void A_sliced_upgrade_runs_its_post_upgrade_once_and_commits_it_in_its_last_slice()
    {
        var (ic, id) = Fixture.Installed(new SlicedUpgradeModule(1, 10));
        var runs = 0;
        var v2 = new SlicedUpgradeModule(2, 20, () => runs++);

        var upgrade = ic.Subnet.SubmitInstallCode(id, ic.Controller, InstallMode.Upgrade, v2, SevenBillion);
        ic.Tick(3);
        Assert.False(ic.Subnet.TryGetResult(upgrade, out _));
        ic.Tick();

        Assert.True(ic.Subnet.TryGetResult(upgrade, out var result));
        Assert.Null(result.Reject);
        Assert.True(ic.Subnet[id].Metrics.LastInstructionsUsed > SevenBillion);
        Assert.Equal(1, runs);
        Assert.Equal(20UL, ic.Query<ulong>(id, "heap_value"));
        Assert.Equal(20UL, ic.Query<ulong>(id, "stable_value"));
        Assert.Equal(3, ic.Report(id).RoundsBlocked);
    }

    [Fact]
    public void A_query_during_a_sliced_upgrade_sees_the_old_module_heap_and_stable_memory()
    {
        var (ic, id) = Fixture.Installed(new SlicedUpgradeModule(1, 10));
        var before = Fixture.Fingerprint(ic, id);

        var upgrade = ic.Subnet.SubmitInstallCode(id, ic.Controller, InstallMode.Upgrade, new SlicedUpgradeModule(2, 20), SevenBillion);
        ic.Tick(2);

        Assert.False(ic.Subnet.TryGetResult(upgrade, out _));
        Assert.Equal(1, ic.Query<int>(id, "version"));
        Assert.Equal(10UL, ic.Query<ulong>(id, "heap_value"));
        Assert.Equal(10UL, ic.Query<ulong>(id, "stable_value"));
        Assert.Equal(before, Fixture.Fingerprint(ic, id));
    }

    [Fact]
    public void A_checkpoint_drops_a_kept_upgrade_which_then_runs_again_from_the_beginning()
    {
        var (ic, id) = Fixture.Installed(new SlicedUpgradeModule(1, 10));
        var runs = 0;
        var v2 = new SlicedUpgradeModule(2, 20, () => runs++);

        var upgrade = ic.Subnet.SubmitInstallCode(id, ic.Controller, InstallMode.Upgrade, v2, SevenBillion);
        ic.Tick(2);
        ic.Subnet.Checkpoint();
        Assert.Equal(10UL, ic.Query<ulong>(id, "heap_value"));
        ic.Tick(3);
        Assert.False(ic.Subnet.TryGetResult(upgrade, out _));
        ic.Tick();

        Assert.True(ic.Subnet.TryGetResult(upgrade, out var result));
        Assert.Null(result.Reject);
        Assert.Equal(2, runs);
        Assert.Equal(20UL, ic.Query<ulong>(id, "heap_value"));
        Assert.Equal(1, ic.Subnet[id].Metrics.SlicedExecutionsAborted);
    }

    [Fact]
    public void A_trap_armed_during_a_sliced_upgrade_fails_it_in_its_last_slice_and_keeps_the_old_module()
    {
        var (ic, id) = Fixture.Installed(new SlicedUpgradeModule(1, 10));

        var upgrade = ic.Subnet.SubmitInstallCode(id, ic.Controller, InstallMode.Upgrade, new SlicedUpgradeModule(2, 20), SevenBillion);
        ic.Tick(2);
        ic.Subnet[id].InjectTrap(InjectedTrap.Explicit);
        ic.Tick(2);

        Assert.True(ic.Subnet.TryGetResult(upgrade, out var result));
        Assert.NotNull(result.Reject);
        Assert.Equal(1, ic.Query<int>(id, "version"));
        Assert.Equal(10UL, ic.Query<ulong>(id, "stable_value"));
    }
}
