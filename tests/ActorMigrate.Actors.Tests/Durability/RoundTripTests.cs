using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using ActorMigrate.StableMemory;
using Akka.Actor;

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

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Rounds_on_the_in_memory_journal_are_recovered_by_a_new_actor_for_the_same_canister(int snapshotIntervalRounds)
    {
        var rounds = new CanisterRounds(seed: 2);
        await using var node = DurableNode.Start(PersistenceJournal.InMemory);
        var settings = node.Settings(snapshotIntervalRounds, chunkBytes: 8 * 1024);
        var first = node.StableMemory("in-memory", settings);
        await node.PersistAll(first, [
            rounds.Next(1, dirtyPages: 4, withHeapImage: true), rounds.Next(2, dirtyPages: 4, growPages: 1), rounds.Next(3, dirtyPages: 1)]);
        rounds.AssertMatches(await node.State(first));
        await first.GracefulStop(DurableNode.Timeout);

        rounds.AssertMatches(await node.State(node.StableMemory("in-memory", settings)));
    }

    [Fact]
    public async Task A_reset_round_drops_every_page_before_it()
    {
        await using var node = DurableNode.Start(PersistenceJournal.InMemory);
        var actor = node.StableMemory("reinstalled", node.Settings());
        var page = Enumerable.Repeat((byte)0xAB, PageDelta.PageSize).ToArray();
        await node.PersistAll(actor, [
            new PersistRound(1, 2, [new PageDelta(0, page), new PageDelta(20, page)], new byte[] { 1 }),
            new PersistRound(2, 1, [new PageDelta(3, page)], new byte[] { 2 }, StableMemoryReset: true)]);
        await actor.GracefulStop(DurableNode.Timeout);

        var state = await node.State(node.StableMemory("reinstalled", node.Settings()));
        var expected = new byte[65_536];
        page.CopyTo(expected, 3 * PageDelta.PageSize);
        Assert.Equal(expected, state.StableMemory.ToArray());
    }
}
