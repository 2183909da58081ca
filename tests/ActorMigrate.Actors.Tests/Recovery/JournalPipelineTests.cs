using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using ActorMigrate.Testing;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.TestKit;
using Akka.TestKit;

namespace ActorMigrate.Actors.Tests;

/// <summary>
/// Rounds ahead of the journal (actormigrate.subnet.rounds-ahead-of-journal): with every journal write
/// held by a <see cref="JournalGate"/>, the next round runs, but no answer (ingress, query, RunRounds)
/// leaves before its round is durable; a round that called another canister is waited for; and a
/// journal failure found after the next round ran rejects the answers of both.
/// </summary>
public sealed class JournalPipelineTests() : Akka.TestKit.Xunit2.TestKit(TestKitJournal.Config)
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(400);

    private ITestJournal Journal => TestKitJournal.Of(Sys);

    [Fact]
    public async Task The_next_round_runs_while_the_journal_writes_the_last_but_no_answer_leaves_before_its_round_is_durable()
    {
        var (ic, canister) = Ledger("ahead", roundsAhead: 1);
        var (gate, start, caller) = await HoldWrites(ic);

        Deposit(ic, canister, 5, caller);
        AwaitAssert(() => Assert.Equal(start + 1, ic.Round));
        Deposit(ic, canister, 7, caller);
        AwaitAssert(() => Assert.Equal(start + 2, ic.Round)); // ran while round 1 is still being written
        ic.Subnet.Tell(new QueryCall(canister, "balance", 7UL, ic.Controller), caller);
        Deposit(ic, canister, 11, caller);

        caller.ExpectNoMsg(Settle);
        Assert.Equal(start + 2, ic.Round); // one round ahead at most: the third deposit waits

        gate.Open();
        Assert.Equal(5UL, caller.ExpectMsg<CallResult>().Unwrap()); // in round order, each once durable
        Assert.Equal(12UL, caller.ExpectMsg<CallResult>().Unwrap());
        Assert.Equal(12UL, caller.ExpectMsg<CallResult>().Unwrap()); // the query read round 2's state
        Assert.Equal(23UL, caller.ExpectMsg<CallResult>().Unwrap());
        ic.Dispose();
    }

    [Fact]
    public async Task A_round_run_with_its_ingress_answers_when_it_ran_and_the_calls_once_it_is_durable()
    {
        var (ic, canister) = Ledger("paced", roundsAhead: 1);
        var (gate, start, caller) = await HoldWrites(ic);
        var call = new UpdateCall(canister, "deposit", (7UL, 5UL), ic.Controller);

        var ran = await ic.Subnet.Ask<RoundsRun>(new RunRounds(1, AwaitJournal: false) { Ingress = [(call, caller)] }, ic.Timeout);

        Assert.Equal(start + 1, ran.Round); // one round, and it delivered the call: the answer says 5
        caller.ExpectNoMsg(Settle);
        gate.Open();
        Assert.Equal(5UL, caller.ExpectMsg<CallResult>().Unwrap());
        ic.Dispose();
    }

    [Fact]
    public async Task Calls_paced_one_a_round_are_each_delivered_by_a_round_of_their_own()
    {
        var (ic, canister) = Ledger("one-a-round", roundsAhead: 1);
        var start = ic.Round;
        var caller = CreateTestProbe();
        var ingress = new ulong[] { 5, 7, 11 }
            .Select(amount => (new UpdateCall(canister, "deposit", (7UL, amount), ic.Controller), caller.Ref))
            .ToList();

        var ran = await ic.Subnet.Ask<RoundsRun>(new RunRounds(4) { Ingress = ingress, OneCallPerRound = true }, ic.Timeout);

        Assert.Equal(start + 4, ran.Round); // the rounds asked for, not one per call
        Assert.Equal(5UL, caller.ExpectMsg<CallResult>().Unwrap());
        Assert.Equal(12UL, caller.ExpectMsg<CallResult>().Unwrap());
        Assert.Equal(23UL, caller.ExpectMsg<CallResult>().Unwrap());
        var delivered = ic.Executions(canister, start).Where(e => e.Kind == ExecutionKind.Update).Select(e => e.Round);
        Assert.Equal([start + 1, start + 2, start + 3], delivered);
        ic.Dispose();
    }

    [Fact]
    public async Task Calls_paced_one_a_round_with_fewer_rounds_than_calls_are_refused_and_none_runs()
    {
        var (ic, canister) = Ledger("too-few-rounds", roundsAhead: 1);
        var start = ic.Round;
        var caller = CreateTestProbe();
        var call = new UpdateCall(canister, "deposit", (7UL, 5UL), ic.Controller);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            ic.Subnet.Ask<RoundsRun>(new RunRounds(1) { Ingress = [(call, caller.Ref), (call, caller.Ref)], OneCallPerRound = true }, ic.Timeout));

        Assert.Contains("2 calls paced one a round need at least as many rounds, not 1", refused.Message);
        caller.ExpectNoMsg(Settle);
        Assert.Equal(start, ic.Round);
        ic.Dispose();
    }

    [Fact]
    public async Task With_no_rounds_ahead_each_round_waits_until_the_last_is_durable()
    {
        var (ic, canister) = Ledger("in-step", roundsAhead: 0);
        var (gate, start, caller) = await HoldWrites(ic);

        Deposit(ic, canister, 5, caller);
        AwaitAssert(() => Assert.Equal(start + 1, ic.Round));
        Deposit(ic, canister, 7, caller);

        caller.ExpectNoMsg(Settle);
        Assert.Equal(start + 1, ic.Round);
        gate.Open();
        Assert.Equal(5UL, caller.ExpectMsg<CallResult>().Unwrap());
        Assert.Equal(12UL, caller.ExpectMsg<CallResult>().Unwrap());
        ic.Dispose();
    }

    [Fact]
    public async Task A_round_that_called_another_canister_is_durable_before_the_callee_runs_on_it()
    {
        var (ic, caller) = Ledger("reaching", roundsAhead: 1);
        var callee = ic.CreateAndInstall(new LedgerModule());
        var (gate, start, user) = await HoldWrites(ic);

        ic.Subnet.Tell(new UpdateCall(caller, "forward", (callee, 7UL, 5UL), ic.Controller), user);

        user.ExpectNoMsg(Settle);
        Assert.Equal(start + 1, ic.Round); // the call is not delivered on a round the journal may still lose
        gate.Open();
        Assert.Equal(5UL, user.ExpectMsg<CallResult>().Unwrap());
        Assert.Equal(5UL, ic.Query<ulong>(callee, "balance", 7UL));
        ic.Dispose();
    }

    [Fact]
    public async Task A_journal_failure_found_after_the_next_round_ran_rejects_the_answers_of_both_rounds()
    {
        var (ic, canister) = Ledger("lost", roundsAhead: 1);
        Assert.Equal(3UL, ic.Update<ulong>(canister, "deposit", (7UL, 3UL)));
        var (gate, start, caller) = await HoldWrites(ic);
        Deposit(ic, canister, 5, caller);
        AwaitAssert(() => Assert.Equal(start + 1, ic.Round));
        Deposit(ic, canister, 7, caller);
        AwaitAssert(() => Assert.Equal(start + 2, ic.Round));

        gate.Fail();

        for (var i = 0; i < 2; i++)
        {
            var answer = caller.ExpectMsg<CallResult>();
            Assert.Equal(ErrorCode.CanisterStopped, answer.Reject?.Code);
            Assert.Contains("could not be made durable", answer.Reject!.Message);
        }

        Assert.Equal(ErrorCode.CanisterStopped, ic.TryQuery(canister, "balance", 7UL).Reject?.Code); // 8 and 15 are never shown
        await Journal.OnWrite.Pass();
        Watch(ic.Subnet);
        ic.Dispose();
        ExpectTerminated(ic.Subnet);
        var recovered = new ActorHarness(Settings(1), Sys, "lost", new ModuleRegistry(new LedgerModule()));
        Assert.Equal(3UL, recovered.Query<ulong>(canister, "balance", 7UL));
        recovered.Dispose();
    }

    [Theory]
    [InlineData("", 4)]
    [InlineData("actormigrate.subnet.rounds-ahead-of-journal = 0", 0)]
    [InlineData("actormigrate.subnet.rounds-ahead-of-journal = 4", 4)]
    public void The_hocon_setting_says_how_many_rounds_may_run_ahead_of_the_journal(string hocon, int rounds)
    {
        var config = ConfigurationFactory.ParseString(hocon + "\nactormigrate.subnet.durable = off").WithFallback(ActorMigrateActors.DefaultConfig);

        Assert.Equal(rounds, SubnetActorSettings.FromConfig(config).RoundsAheadOfJournal);
    }

    [Fact]
    public void A_negative_number_of_rounds_ahead_of_the_journal_is_refused_with_its_key()
    {
        var config = ConfigurationFactory.ParseString("actormigrate.subnet { durable = off, rounds-ahead-of-journal = -1 }").WithFallback(ActorMigrateActors.DefaultConfig);

        var error = Assert.Throws<ActorMigrate.Actors.Configuration.ConfigurationException>(() => SubnetActorSettings.FromConfig(config));
        Assert.Contains("actormigrate.subnet.rounds-ahead-of-journal = -1", error.Message);
    }

    /// <summary>Holds every journal write from now on; the round the subnet is at, and a caller to answer.</summary>
    private async Task<(JournalGate Gate, ulong Start, TestProbe Caller)> HoldWrites(ActorHarness ic)
    {
        return (await JournalGate.HoldWrites(Journal), ic.Round, CreateTestProbe());
    }

    private (ActorHarness Ic, Principal Canister) Ledger(string name, int roundsAhead)
    {
        var ic = new ActorHarness(Settings(roundsAhead), Sys, name, new ModuleRegistry(new LedgerModule()));
        return (ic, ic.CreateAndInstall(new LedgerModule()));
    }

    private SubnetActorSettings Settings(int roundsAhead) =>
        SubnetActorSettings.FromConfig(Sys.Settings.Config) with { RoundsAheadOfJournal = roundsAhead };

    private static void Deposit(ActorHarness ic, Principal canister, ulong amount, TestProbe caller) =>
        ic.Subnet.Tell(new UpdateCall(canister, "deposit", (7UL, amount), ic.Controller), caller);
}
