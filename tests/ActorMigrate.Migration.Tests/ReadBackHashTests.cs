using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;
using ActorMigrate.Testing;

namespace ActorMigrate.Migration.Tests;

/// <summary>
/// A stable store hashes a copy's read-back from the stored encoding (<see cref="StableStore{K,V}.ReadBackHash"/>)
/// instead of decoding the value and encoding it again: the hash and the instructions charged must be the
/// ones of that decode-and-hash path, or a migration's digests and budgets would change with the shortcut.
/// </summary>
public sealed class ReadBackHashTests
{
    private sealed class ReadBackModule : CanisterModule
    {
        public override string Name => "read-back";

        public override int Version => 1;

        protected override void DeclareEndpoints(EndpointTable endpoints) => endpoints
            .Update<(ulong Key, string Value), ulong[]>("compare", (ic, record) =>
            {
                var store = StableStore<ulong, string>.Open(ic, StableLayout.Manager(ic), StableLayout.RecordsMemory, Storable.U64, Storable.String);
                store.Insert(record.Key, record.Value);

                var before = ic.InstructionCounter;
                var stored = store.ReadBackHash(ic, Storable.U64, Storable.String, record.Key);
                var storedCost = ic.InstructionCounter - before;

                store.Insert(record.Key, record.Value); // saved again: the node cache misses as it did for the first read
                before = ic.InstructionCounter;
                var decoded = store.TryGet(record.Key, out var value) ? RecordDigest.Of(ic, Storable.U64, Storable.String, record.Key, value) : (ulong?)null;
                var decodedCost = ic.InstructionCounter - before;

                var absent = store.ReadBackHash(ic, Storable.U64, Storable.String, record.Key + 1);
                return [stored ?? 0, (ulong)storedCost, decoded ?? 0, (ulong)decodedCost, absent is null ? 1UL : 0UL];
            });
    }

    [Theory]
    [InlineData(7UL, "")]
    [InlineData(8UL, "a value")]
    [InlineData(9UL, "déjà vu, a longer value with characters of two and three UTF-8 bytes: €€€")]
    public void The_stored_encoding_hashes_and_costs_what_decoding_and_hashing_the_value_does(ulong key, string value)
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(new ReadBackModule());

        var result = ic.Update<ulong[]>(id, "compare", (key, value));

        Assert.Equal(RecordDigest.Hash(Storable.U64.ToBytes(key), Storable.String.ToBytes(value)), result[0]);
        Assert.Equal(result[2], result[0]);
        Assert.Equal(result[3], result[1]);
        Assert.True(result[1] > 0, "the read-back charged nothing");
        Assert.Equal(1UL, result[4]);
    }
}
