using ActorMigrate.Actors.Canister;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Tests;

public sealed class CanisterMetadataTests
{
    private static CanisterMetadata Sample() => new("ledger", 3, 42, CanisterStatus.Stopped, 3L << 30, 1 << 20, 123_456, 99,
        [new Principal("controller-a"), new Principal("controller-b")], [(1, 500, 0), (2, 700, 100)], 1_700_000_000_000_000_000);

    [Fact]
    public void Metadata_decodes_to_every_field_it_was_encoded_from()
    {
        var sample = Sample();
        var decoded = CanisterMetadata.Decode(sample.Encode());

        Assert.Equal(sample with { Controllers = [], Timers = [] }, decoded with { Controllers = [], Timers = [] });
        Assert.Equal(sample.Controllers, decoded.Controllers);
        Assert.Equal(sample.Timers, decoded.Timers);
    }

    [Fact]
    public void Truncated_metadata_is_refused_with_the_offset_it_ended_at()
    {
        var bytes = Sample().Encode();
        var error = Assert.Throws<InvalidDataException>(() => CanisterMetadata.Decode(bytes.AsSpan(0, bytes.Length - 3)));
        Assert.Contains("ends inside a field", error.Message);
        Assert.Throws<InvalidDataException>(() => CanisterMetadata.Decode([.. bytes, 0]));
    }
}
