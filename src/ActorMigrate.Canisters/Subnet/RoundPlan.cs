namespace ActorMigrate.Canisters;

/// <summary>
/// A round split into per-canister steps (see <see cref="Subnet.BeginRound"/>): which canisters have
/// system tasks, and, once <see cref="Subnet.BeginDeliveries"/> has taken the queue, which messages
/// each canister receives, in queue order.
/// </summary>
public sealed class RoundPlan
{
    internal readonly Dictionary<Principal, int> Ordinals = [];
    internal readonly Dictionary<Principal, List<(int Position, SubnetMessage Message)>> Deliveries = [];
    internal RoundOutput? SubnetOutput;
    internal List<SubnetMessage> Batch = [];

    internal RoundPlan(ulong round) => Round = round;

    public ulong Round { get; }

    /// <summary>Canisters with a sliced execution to advance, or a heartbeat, timer or hook to run.</summary>
    public List<Principal> WithSystemTasks { get; } = [];

    /// <summary>Canisters that receive messages this round (after <see cref="Subnet.BeginDeliveries"/>).</summary>
    public IEnumerable<Principal> WithDeliveries => Deliveries.Keys;

    /// <summary>Ingress the subnet answered itself this round (messages to canisters that do not exist).</summary>
    public IEnumerable<ulong> AnsweredBySubnet => SubnetOutput?.AnsweredIngress ?? [];
}
