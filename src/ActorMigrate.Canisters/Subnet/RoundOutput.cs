namespace ActorMigrate.Canisters;

/// <summary>
/// What one canister's part of a split round produced: its trace records, the messages it sent, the
/// ingress answers it gave and the messages it had to defer. Each entry carries the key of the step
/// that produced it (system tasks by canister order, deliveries by queue position), so that merging
/// the outputs of all canisters gives exactly the order a sequential <see cref="Subnet.Tick"/> gives.
/// </summary>
public sealed class RoundOutput
{
    internal readonly List<(long Key, ExecutionRecord Record)> Records = [];
    internal readonly List<(long Key, SubnetMessage Message)> Sent = [];
    internal readonly List<(long Key, SubnetMessage Message)> Deferred = [];
    internal readonly List<(ulong IngressId, CallResult Result)> Replies = [];

    internal RoundOutput(Principal? canister) => Canister = canister;

    /// <summary>An output in which <paramref name="canister"/> did nothing (a step it could not run).</summary>
    public static RoundOutput Nothing(Principal canister) => new(canister);

    /// <summary>The canister that produced this output, or null for the subnet's own deliveries.</summary>
    public Principal? Canister { get; }

    /// <summary>The key of the step running now.</summary>
    internal long CurrentKey { get; set; }

    /// <summary>Ingress and install_code messages this output answers.</summary>
    public IEnumerable<ulong> AnsweredIngress => Replies.Select(r => r.IngressId);

    /// <summary>
    /// Whether this output sent a call or a response to another canister (or is the subnet's own): its
    /// round then feeds another canister's state, so a host that journals canisters separately must not
    /// let that canister run on it before it is durable.
    /// </summary>
    public bool ReachesOtherCanisters => Sent.Any(m => m.Message.Target != Canister) || Deferred.Any(m => m.Message.Target != Canister);

    /// <summary>Executions this output recorded.</summary>
    public int Executions => Records.Count;

    internal static long SystemKey(int canisterOrdinal) => canisterOrdinal;

    internal static long DeliveryKey(int queuePosition) => (1L << 40) + queuePosition;
}
