using System.Buffers.Binary;
using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Durability;
using Akka.Actor;
using Microsoft.Data.Sqlite;

namespace ActorMigrate.Actors.Tests.Durability;

/// <summary>
/// Checkpoints built on a thread of their own while the next rounds are journaled: their chunks land
/// behind those rounds, and recovery must put the rounds after the image, never lose or reorder them.
/// </summary>
public sealed class BackgroundCheckpointTests
{
    private const string Canister = "renrk-eyaaa-aaaaa-aaada-cai";

    /// <summary>Journal rows in order: sequence number, manifest, and the round the event is of (offset 1 of both layouts).</summary>
    private static List<(long SequenceNr, string Manifest, long Round)> JournalRows(TempDatabase database)
    {
        using var connection = new SqliteConnection($"Data Source={database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number, manifest, message FROM journal WHERE persistence_id = $id ORDER BY sequence_number";
        command.Parameters.AddWithValue("$id", StableMemoryActor.PersistenceIdFor(Canister));
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string, long)>();
        while (reader.Read())
        {
            var message = (byte[])reader.GetValue(2);
            rows.Add((reader.GetInt64(0), reader.GetString(1), BinaryPrimitives.ReadInt64LittleEndian(message.AsSpan(1, 8))));
        }

        return rows;
    }

    [Fact]
    public async Task Rounds_journaled_while_an_image_was_built_are_recovered_after_it_in_order()
    {
        using var database = new TempDatabase();
        var rounds = new CanisterRounds(seed: 33, sizeInPages: 200);
        var settings = (StableMemorySettings s) => s with { BackgroundCheckpointBytes = 0, CompactAfterCheckpoint = false };
        await using (var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path)))
        {
            var actor = node.StableMemory(Canister, settings(node.Settings(snapshotIntervalRounds: 10, chunkBytes: 1 << 20)));
            // Round 1 fills 8 MiB, so each image takes a while to build.
            var batch = Enumerable.Range(1, 30)
                .Select(r => rounds.Next(r, dirtyPages: r == 1 ? 2048 : 1 + (r % 4), withHeapImage: r % 7 == 1))
                .ToList();
            // The first checkpoint is due after round 10; the rounds after it, sent at once, are journaled while
            // its image is built (rounds in flight when an image is ready go to the journal before its chunks).
            await node.PersistAll(actor, batch.Take(10));
            var replies = batch.Skip(10).Select(round => actor.Ask<object>(round, DurableNode.Timeout)).ToList();
            foreach (var (reply, round) in replies.Zip(batch.Skip(10)))
            {
                Assert.Equal(new RoundDurable(round.Round), await reply);
            }

            rounds.AssertMatches(await node.State(actor));
            for (var i = 0; i < 500 && database.Execute("SELECT count(*) FROM snapshot") == 0; i++)
            {
                await Task.Delay(20);
            }
        }

        // Some image's first chunk follows a later round than its own: the case this test is about.
        var rows = JournalRows(database);
        Assert.Contains(rows.Zip(rows.Skip(1)), pair => pair.Item2.Manifest == "C" && pair.Item1.Manifest == "R" && pair.Item1.Round > pair.Item2.Round);
        Assert.Equal(30, rows.Count(r => r.Manifest == "R"));

        await using var recovering = DurableNode.Start(PersistenceJournal.Sqlite(database.Path));
        var recovered = recovering.StableMemory(Canister, settings(recovering.Settings(snapshotIntervalRounds: 10, chunkBytes: 1 << 20)));
        rounds.AssertMatches(await recovering.State(recovered));
    }

    [Fact]
    public async Task A_background_checkpoint_with_compaction_leaves_a_journal_that_recovers_every_round()
    {
        using var database = new TempDatabase();
        var rounds = new CanisterRounds(seed: 34, sizeInPages: 1);
        var settings = (StableMemorySettings s) => s with { BackgroundCheckpointBytes = 0 };
        await using (var node = DurableNode.Start(PersistenceJournal.Sqlite(database.Path)))
        {
            var actor = node.StableMemory(Canister, settings(node.Settings(snapshotIntervalRounds: 5, chunkBytes: 8192)));
            var batch = Enumerable.Range(1, 40).Select(r => rounds.Next(r, dirtyPages: 2, withHeapImage: r == 1)).ToList();
            var replies = batch.Select(round => actor.Ask<object>(round, DurableNode.Timeout)).ToList();
            await Task.WhenAll(replies);
            await node.State(actor);
            // Wait for the last compaction to leave the journal as recovery will read it.
            await Task.Delay(300);
        }

        Assert.True(database.Execute("SELECT count(*) FROM snapshot") >= 1);
        await using var recovering = DurableNode.Start(PersistenceJournal.Sqlite(database.Path));
        var recovered = recovering.StableMemory(Canister, settings(recovering.Settings(snapshotIntervalRounds: 5, chunkBytes: 8192)));
        rounds.AssertMatches(await recovering.State(recovered));
    }
}
