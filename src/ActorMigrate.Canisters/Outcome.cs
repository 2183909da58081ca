namespace ActorMigrate.Canisters;

/// <summary>
/// How an execution ends when it does not trap: with a reply, with nothing (hooks, timers), or by
/// awaiting an inter-canister call. The await is a commit point: the execution commits, and
/// <c>then</c> runs later as a separate <see cref="ExecutionKind.Response"/> execution of the same
/// canister with the call's result — a trap there rolls back only that continuation.
/// </summary>
public readonly struct Outcome
{
    private Outcome(OutcomeKind kind, object? reply, CallRequest? call, Func<Ic0, CallResult, Outcome>? then)
    {
        Kind = kind;
        ReplyValue = reply;
        Call = call;
        Then = then;
    }

    public OutcomeKind Kind { get; }

    public object? ReplyValue { get; }

    public CallRequest? Call { get; }

    public Func<Ic0, CallResult, Outcome>? Then { get; }

    /// <summary>No reply (a hook or timer that finished).</summary>
    public static Outcome Done => default;

    public static Outcome Reply(object? value) => new(OutcomeKind.Reply, value, null, null);

    /// <summary>Commits now; <paramref name="then"/> runs as a new execution once <paramref name="call"/> is answered.</summary>
    public static Outcome Await(CallRequest call, Func<Ic0, CallResult, Outcome> then) => new(OutcomeKind.Await, null, call, then);
}

public enum OutcomeKind
{
    Done,
    Reply,
    Await,
}

/// <summary>An inter-canister call (a canister may call itself).</summary>
public sealed record CallRequest(Principal Target, string Method, object? Arg);

/// <summary>The answer to a call: a reply value or a reject with the IC's error.</summary>
public readonly record struct CallResult(object? Reply, CanisterError? Reject)
{
    public bool IsReply => Reject is null;

    public static CallResult Replied(object? value) => new(value, null);

    public static CallResult Rejected(CanisterError error) => new(null, error);
}
