using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The in-memory journal of <c>PersistenceJournal.InMemory</c>: like Akka's <c>MemoryJournal</c>, but a
/// delete drops the events instead of only hiding them. Akka's journal deletes logically (it keeps every
/// event and a "deleted to" mark), so the compaction after each checkpoint (CHECKPOINTS.md) freed nothing
/// and a large migration kept every checkpoint image in memory (1M accounts: killed at 24 GB).
/// </summary>
/// <remarks>
/// The highest sequence number of a persistence id survives the deletion of its events, as Akka requires
/// (a recovered actor must continue after it). Events are kept per persistence id in sequence order.
/// </remarks>
public sealed class CompactingMemoryJournal : AsyncWriteJournal
{
    private readonly object gate = new();
    private readonly Dictionary<string, SortedList<long, IPersistentRepresentation>> events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> highest = new(StringComparer.Ordinal);

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            foreach (var write in messages)
            {
                foreach (var persistent in (IImmutableList<IPersistentRepresentation>)write.Payload)
                {
                    if (!events.TryGetValue(persistent.PersistenceId, out var list))
                    {
                        events[persistent.PersistenceId] = list = [];
                    }

                    list[persistent.SequenceNr] = persistent.WithTimestamp(DateTime.UtcNow.Ticks);
                    highest[persistent.PersistenceId] = Math.Max(highest.GetValueOrDefault(persistent.PersistenceId), persistent.SequenceNr);
                }
            }
        }

        return Task.FromResult<IImmutableList<Exception>>(null!); // null: every write succeeded
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (events.TryGetValue(persistenceId, out var list))
            {
                while (list.Count > 0 && list.Keys[0] <= toSequenceNr)
                {
                    list.RemoveAt(0);
                }
            }
        }

        return Task.CompletedTask;
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(highest.GetValueOrDefault(persistenceId));
        }
    }

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        List<IPersistentRepresentation> replayed;
        lock (gate)
        {
            replayed = events.TryGetValue(persistenceId, out var list)
                ? list.Values.Where(p => p.SequenceNr >= fromSequenceNr && p.SequenceNr <= toSequenceNr).Take((int)Math.Min(max, int.MaxValue)).ToList()
                : [];
        }

        foreach (var persistent in replayed)
        {
            recoveryCallback(persistent);
        }

        return Task.CompletedTask;
    }
}
