using ActorMigrate.Examples.Accounts;

namespace ActorMigrate.Scenarios.Running;

/// <summary>One call of traffic and what the model says its answer must be.</summary>
/// <param name="Account">The account a put or overwrite writes.</param>
/// <param name="ExpectedReply">put_account: true when the principal was new; remove_account: true when it existed (unused for gets).</param>
public sealed record TrafficCall(TrafficOp Op, string Principal, Account? Account, bool ExpectedReply)
{
    public bool IsWrite => Op != TrafficOp.Get;

    public string Method => Op switch
    {
        TrafficOp.Remove => "remove_account",
        TrafficOp.Get => "get_account",
        _ => "put_account",
    };

    public object Arg => Account is null ? Principal : Account;
}
