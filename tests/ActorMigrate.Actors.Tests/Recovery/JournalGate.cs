using Akka.Persistence;
using Akka.Persistence.TestKit;

namespace ActorMigrate.Actors.Tests;

/// <summary>Holds every journal write until the test opens the gate (the writes then succeed) or fails it (they fail).</summary>
internal sealed class JournalGate : IJournalInterceptor
{
    private readonly TaskCompletionSource<bool> opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InterceptAsync(IPersistentRepresentation message)
    {
        if (!await opened.Task)
        {
            throw new InvalidOperationException($"the test failed the journal write of {message.PersistenceId} #{message.SequenceNr}");
        }
    }

    /// <summary>Holds every write of <paramref name="journal"/> from now on, until the gate is opened or failed.</summary>
    public static async Task<JournalGate> HoldWrites(ITestJournal journal)
    {
        var gate = new JournalGate();
        await journal.OnWrite.SetInterceptorAsync(gate);
        return gate;
    }

    public void Open() => opened.TrySetResult(true);

    public void Fail() => opened.TrySetResult(false);
}
