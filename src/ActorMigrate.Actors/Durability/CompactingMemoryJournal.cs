using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// The in-memory journal: events per persistence id, in memory, lost with the ActorSystem — and, unlike
/// Akka's own in-memory journal, deleting events frees them. Akka's marks them deleted and keeps them,
/// so a StableMemoryActor that compacts after every checkpoint still held every checkpoint it ever wrote
/// (a 300k-account migration grew by about 250 MiB per checkpoint; a 1M-account one ran out of memory).
/// </summary>
/// <remarks>
/// Events are appended in sequence-number order (Akka writes one persistence id from one actor), so a
/// replay finds its first event by binary search. The highest sequence number survives deletion, as the
/// journal protocol requires.
/// </remarks>
public sealed class CompactingMemoryJournal : AsyncWriteJournal
{
    private sealed class EventStream
    {
        public readonly List<IPersistentRepresentation> Events = [];
        public long HighestSequenceNr;
    }

    private readonly Dictionary<string, EventStream> streams = new(StringComparer.Ordinal);
    private readonly object gate = new();

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow.Ticks;
        lock (gate)
        {
            foreach (var write in messages)
            {
                foreach (var message in (IImmutableList<IPersistentRepresentation>)write.Payload)
                {
                    var stream = StreamOf(message.PersistenceId);
                    stream.Events.Add(message.WithTimestamp(now));
                    stream.HighestSequenceNr = Math.Max(stream.HighestSequenceNr, message.SequenceNr);
                }
            }
        }

        return Task.FromResult<IImmutableList<Exception>>(null!); // null: every write succeeded
    }

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        IPersistentRepresentation[] replayed;
        lock (gate)
        {
            if (!streams.TryGetValue(persistenceId, out var stream))
            {
                return Task.CompletedTask;
            }

            var events = stream.Events;
            var first = FirstAtOrAfter(events, fromSequenceNr);
            var count = 0;
            while (first + count < events.Count && events[first + count].SequenceNr <= toSequenceNr && count < max)
            {
                count++;
            }

            replayed = events.GetRange(first, count).ToArray();
        }

        foreach (var message in replayed)
        {
            recoveryCallback(message);
        }

        return Task.CompletedTask;
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(streams.TryGetValue(persistenceId, out var stream) ? stream.HighestSequenceNr : 0L);
        }
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (streams.TryGetValue(persistenceId, out var stream))
            {
                stream.Events.RemoveRange(0, FirstAtOrAfter(stream.Events, toSequenceNr == long.MaxValue ? long.MaxValue : toSequenceNr + 1));
            }
        }

        return Task.CompletedTask;
    }

    private EventStream StreamOf(string persistenceId)
    {
        if (!streams.TryGetValue(persistenceId, out var stream))
        {
            streams.Add(persistenceId, stream = new EventStream());
        }

        return stream;
    }

    /// <summary>The index of the first event with a sequence number of at least <paramref name="sequenceNr"/> (the count when none).</summary>
    private static int FirstAtOrAfter(List<IPersistentRepresentation> events, long sequenceNr)
    {
        int low = 0, high = events.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (events[mid].SequenceNr < sequenceNr)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
