using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// The bookkeeping behind held answers, with two canisters whose journals confirm out of order: answers
/// leave in round order, only once every canister a round wrote to confirmed that write, and a canister
/// that loses its journal turns exactly its answers from its first unwritten round on into rejects.
/// Writes are numbered per canister, as its CanisterActor counts them.
/// </summary>
public sealed class UndurableRoundsTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Principal A = new("canister-a");
    private static readonly Principal B = new("canister-b");
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_round_durable_before_an_older_one_waits_for_it()
    {
        var rounds = new UndurableRounds();
        var caller = CreateTestProbe();
        rounds.Ran(Writes((A, 1), (B, 1)), [new HeldAnswer(caller, "round 1", A)]);
        rounds.Ran(Writes((A, 2)), [new HeldAnswer(caller, "round 2", A)]);

        rounds.Durable(A, 2);
        rounds.Release();
        caller.ExpectNoMsg(Quiet); // round 1 still waits for B

        rounds.Durable(B, 1);
        rounds.Release();
        caller.ExpectMsg("round 1");
        caller.ExpectMsg("round 2");
        Assert.Equal(0, rounds.Count);
    }

    [Fact]
    public void A_confirmation_that_came_before_its_round_was_added_still_counts()
    {
        var rounds = new UndurableRounds();
        var caller = CreateTestProbe();
        rounds.Durable(A, 1); // the journal answered before the subnet ended the round

        rounds.Ran(Writes((A, 1)), [new HeldAnswer(caller, "round 3", A)]);
        rounds.Release();

        caller.ExpectMsg("round 3");
    }

    [Fact]
    public void A_lost_journal_rejects_its_answers_from_its_first_unwritten_round_on_and_no_others()
    {
        var rounds = new UndurableRounds();
        var caller = CreateTestProbe();
        var lostJournal = new CanisterError(ErrorCode.CanisterStopped, "lost");
        rounds.Ran(Writes((A, 1), (B, 1)), [new HeldAnswer(caller, "a1", A), new HeldAnswer(caller, "b1", B)]);
        rounds.Ran(Writes((B, 2)), [new HeldAnswer(caller, "a2", A), new HeldAnswer(caller, "b2", B)]);
        rounds.AnswerBehind(new HeldAnswer(caller, "query of a", A));
        rounds.Durable(A, 1);
        rounds.Ran(Writes((A, 2)), [new HeldAnswer(caller, "a3", A)]);

        rounds.Lost(A, lostJournal); // round 3 is A's first unwritten round
        rounds.Durable(B, 2);
        rounds.Release();

        caller.ExpectMsg("a1");
        caller.ExpectMsg("b1");
        caller.ExpectMsg("a2"); // read A's round 1 state, which is durable
        caller.ExpectMsg("b2");
        caller.ExpectMsg("query of a");
        Assert.Equal(CallResult.Rejected(lostJournal), caller.ExpectMsg<CallResult>());
        Assert.Equal(0, rounds.Count);
    }

    [Fact]
    public void An_answer_read_between_rounds_leaves_with_the_newest_held_round_or_at_once()
    {
        var rounds = new UndurableRounds();
        var caller = CreateTestProbe();
        rounds.AnswerBehind(new HeldAnswer(caller, "nothing held", A));
        caller.ExpectMsg("nothing held");

        rounds.Ran(Writes((A, 1)), []);
        rounds.AnswerBehind(new HeldAnswer(caller, "after round 1", A));
        rounds.Release();
        caller.ExpectNoMsg(Quiet);

        rounds.Durable(A, 1);
        rounds.Release();
        caller.ExpectMsg("after round 1");
    }

    [Fact]
    public void A_management_write_after_a_round_waits_for_its_own_write_not_for_the_rounds()
    {
        var rounds = new UndurableRounds();
        var caller = CreateTestProbe();
        rounds.Ran(Writes((A, 1)), [new HeldAnswer(caller, "round 7", A)]);
        rounds.Ran(Writes((A, 2)), [new HeldAnswer(caller, "stopped after round 7", A)]); // same round number, next write

        rounds.Durable(A, 1);
        rounds.Release();
        caller.ExpectMsg("round 7");
        caller.ExpectNoMsg(Quiet);

        rounds.Durable(A, 2);
        rounds.Release();
        caller.ExpectMsg("stopped after round 7");
    }

    private static Dictionary<Principal, long> Writes(params (Principal Canister, long Write)[] writes) =>
        writes.ToDictionary(w => w.Canister, w => w.Write);
}
