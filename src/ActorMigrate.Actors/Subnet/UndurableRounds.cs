using ActorMigrate.Canisters;
using Akka.Actor;

namespace ActorMigrate.Actors.Subnet;

/// <summary>
/// The rounds that ran but are not yet in every changed canister's journal, oldest first, with the
/// answers they hold back. A round's answers go out once each canister it wrote to confirmed the write
/// (or a later one: one canister's journal is written in order), and only after every older round's
/// answers: a caller never hears of a round a crash could still undo. A management operation between
/// rounds is held the same way, behind the rounds before it, until its own write is durable.
/// </summary>
/// <remarks>
/// Plain bookkeeping, no Akka behaviour, so the <see cref="SubnetActor"/> stays about rounds. Writes are
/// counted per canister (<see cref="Canister.CanisterActor"/> numbers them), not by round: a management
/// operation's write shares its round's number. A canister that loses its journal (<see cref="Lost"/>) no
/// longer holds rounds back, and its held answers turn into rejects: what it answered was never made durable.
/// </remarks>
internal sealed class UndurableRounds
{
    private readonly Queue<HeldRound> rounds = new();
    private readonly Dictionary<Principal, long> durableUpTo = [];
    private readonly HashSet<Principal> lost = [];

    /// <summary>Rounds (and management operations) still waiting for a journal.</summary>
    public int Count => rounds.Count;

    /// <summary>Whether a held round sent a message between canisters: no round may run on it before it is durable.</summary>
    public bool HoldsRoundReachingOthers => rounds.Any(held => held.ReachesOthers);

    /// <summary>
    /// Adds a round that ran, or a management operation. <paramref name="writes"/> names the canisters whose
    /// journal it was sent to, each with the number of that write; <paramref name="answers"/> are what it
    /// answered, each with the canister that produced it (null: it depends on no canister's journal);
    /// <paramref name="reachesOthers"/>: it sent a message between canisters.
    /// </summary>
    public void Ran(IReadOnlyDictionary<Principal, long> writes, List<HeldAnswer> answers, bool reachesOthers = false)
    {
        var awaiting = new Dictionary<Principal, long>();
        foreach (var (canister, write) in writes)
        {
            if (!lost.Contains(canister) && durableUpTo.GetValueOrDefault(canister) < write)
            {
                awaiting[canister] = write;
            }
        }

        rounds.Enqueue(new HeldRound(awaiting, answers, reachesOthers));
    }

    /// <summary>
    /// An answer read from the state as it stands between rounds (a query): it goes out with the newest
    /// round still held, or now when none is, so nothing a crash could undo is ever shown.
    /// </summary>
    public void AnswerBehind(HeldAnswer answer)
    {
        if (rounds.Count == 0)
        {
            answer.ReplyTo.Tell(answer.Message);
            return;
        }

        rounds.Last().Answers.Add(answer);
    }

    /// <summary>The journal of <paramref name="canister"/> holds its writes up to number <paramref name="write"/>.</summary>
    public void Durable(Principal canister, long write)
    {
        durableUpTo[canister] = Math.Max(write, durableUpTo.GetValueOrDefault(canister));
        foreach (var held in rounds)
        {
            if (held.Awaiting.TryGetValue(canister, out var awaited) && awaited <= write)
            {
                held.Awaiting.Remove(canister);
            }
        }
    }

    /// <summary>
    /// <paramref name="canister"/> lost its journal: its answers from the first round it had not made
    /// durable on (they read state that is gone) become <paramref name="error"/> — a rejected call, or a
    /// <see cref="Managed"/> with the error for a management operation — and it holds no round back any more.
    /// </summary>
    public void Lost(Principal canister, CanisterError error)
    {
        lost.Add(canister);
        var gone = false;
        foreach (var held in rounds)
        {
            gone |= held.Awaiting.Remove(canister);
            if (gone)
            {
                held.Rejected[canister] = error;
            }
        }
    }

    /// <summary>Takes the answers of the oldest rounds that are durable everywhere, in round order.</summary>
    public void Release()
    {
        while (rounds.TryPeek(out var oldest) && oldest.Awaiting.Count == 0)
        {
            rounds.Dequeue();
            foreach (var answer in oldest.Answers)
            {
                var message = answer.From is { } from && oldest.Rejected.TryGetValue(from, out var error) ? answer.RejectedWith(error) : answer.Message;
                answer.ReplyTo.Tell(message);
            }
        }
    }

    private sealed record HeldRound(Dictionary<Principal, long> Awaiting, List<HeldAnswer> Answers, bool ReachesOthers)
    {
        public Dictionary<Principal, CanisterError> Rejected { get; } = [];
    }
}

/// <summary>An answer held until its round is durable; <paramref name="From"/> is the canister whose journal it depends on.</summary>
internal readonly record struct HeldAnswer(IActorRef ReplyTo, object Message, Principal? From)
{
    /// <summary>
    /// What its caller gets instead when the state it read is lost: <paramref name="error"/> in the shape the
    /// caller waits for (a rejected call, a <see cref="Managed"/> with the error); a report of rounds run stays as it is.
    /// </summary>
    public object RejectedWith(CanisterError error) => Message switch
    {
        Managed => new Managed(error, 0),
        RoundsRun => Message,
        _ => CallResult.Rejected(error),
    };
}
