using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;

namespace ActorMigrate.Actors.Tests.Durability;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Rounds_on_a_sqlite_file_are_recovered_by_a_new_ActorSystem_on_the_same_file()
    {
        using var database = new TempDatabase();
        var rounds = new CanisterRounds(seed: 1);
        var canister = "rrkah-fqaaa-aaaaa-aaaaq-cai";

        await using (var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path)))
        {
            var actor = node.StableMemory(canister, node.Settings());
            await node.PersistAll(actor, [rounds.Next(1), rounds.Next(2, withHeapImage: true), rounds.Next(3, growPages: 1), rounds.Next(5)]);
        }

        await using (var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path)))
        {
            var state = await node.State(node.StableMemory(canister, node.Settings()));
            Assert.Equal(canister, state.CanisterId);
            rounds.AssertMatches(state);
        }
    }
}
