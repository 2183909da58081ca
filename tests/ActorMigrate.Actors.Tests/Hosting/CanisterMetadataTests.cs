using ActorMigrate.Actors.Canister;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Tests;

public sealed class CanisterMetadataTests
{
    private static CanisterMetadata Sample() => new("ledger", 3, 42, CanisterStatus.Stopped, 3L << 30, 1 << 20, 123_456, 99,
        [new Principal("controller-a"), new Principal("controller-b")],
        [new DurableTimer(1, 500, 0, new CallbackRef("Some.Module, Some", "Tick", CallbackTarget.Static)),
         new DurableTimer(2, 700, 100, new CallbackRef("Some.Module+<>c, Some", "<Arm>b__3_0", CallbackTarget.StatelessClosure))],
        1_700_000_000_000_000_000)
    {
        NextTimerId = 7,
        InstallCodeDebt = 1_000_000,
        LowWasmMemoryHookArmed = false,
        LowWasmMemoryHookPending = true,
        NextCallbackId = 12,
        CallContexts =
        [
            new DurableCallContext(11, 0, new Principal("caller-cai"), 4, new CallbackRef("Some.Module, Some", "Then", CallbackTarget.Module)),
            new DurableCallContext(12, 9, null, 0, null),
        ],
        Metrics = new MetricTotals(Executions: 40, Traps: 3, InstructionsUsedTotal: 9_000_000_000, RoundsBlocked: 5, RoundsHeldBack: 1, SlicedExecutionsAborted: 2),
    };

    [Fact]
    public void Metadata_decodes_to_every_field_it_was_encoded_from()
    {
        var sample = Sample();
        var decoded = CanisterMetadata.Decode(sample.Encode());

        Assert.Equal(sample with { Controllers = [], Timers = [], CallContexts = [] }, decoded with { Controllers = [], Timers = [], CallContexts = [] });
        Assert.Equal(sample.Controllers, decoded.Controllers);
        Assert.Equal(sample.Timers, decoded.Timers);
        Assert.Equal(sample.CallContexts, decoded.CallContexts);
    }

    [Fact]
    public void Truncated_metadata_is_refused_with_the_offset_it_ended_at()
    {
        var bytes = Sample().Encode();
        var error = Assert.Throws<InvalidDataException>(() => CanisterMetadata.Decode(bytes.AsSpan(0, bytes.Length - 3)));
        Assert.Contains("ends inside a field", error.Message);
        Assert.Throws<InvalidDataException>(() => CanisterMetadata.Decode([.. bytes, 0]));
    }

    [Fact]
    public void Metadata_of_layout_2_still_decodes_with_zero_metrics()
    {
        var sample = Sample();
        var bytes = sample.Encode();
        bytes[0] = 2;

        var decoded = CanisterMetadata.Decode(bytes.AsSpan(0, bytes.Length - 6 * 8));

        Assert.Equal(default, decoded.Metrics);
        Assert.Equal(sample.CallContexts, decoded.CallContexts);
    }
}
