using ActorMigrate.Actors.Configuration;
using ActorMigrate.Actors.Hosting;
using ActorMigrate.Actors.Subnet;
using ActorMigrate.Canisters;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorMigrate.Actors.Tests;

public sealed class EmbeddingTests
{
    /// <summary>The host's own actor: deposits into a canister and tells its parent the last balance.</summary>
    private sealed class Depositor : ReceiveActor
    {
        public Depositor(IActorRef subnet, Principal canister, ulong account, int deposits, TaskCompletionSource<ulong> done)
        {
            var left = deposits;
            Receive<CallResult>(result =>
            {
                if (result.Reject is { } error)
                {
                    done.TrySetException(new InvalidOperationException(error.ToString()));
                    return;
                }

                if (--left == 0)
                {
                    done.TrySetResult((ulong)result.Reply!);
                    return;
                }

                subnet.Tell(new UpdateCall(canister, "deposit", (account, 1UL), new Principal("depositor")));
            });
            subnet.Tell(new UpdateCall(canister, "deposit", (account, 1UL), new Principal("depositor")));
        }
    }

    [Fact]
    public async Task A_subnet_embedded_in_the_hosts_ActorSystem_serves_the_hosts_own_actors()
    {
        using var system = ActorSystem.Create("host-app", ActorMigratePersistence.Config(PersistenceJournal.InMemory));
        var subnet = system.AddActorMigrateSubnet("ledgers");
        var timeout = TimeSpan.FromSeconds(30);
        var canisters = new List<Principal>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await subnet.Ask<CanisterCreated>(new CreateCanister(new Principal("host")), timeout)).Canister;
            var installed = await subnet.Ask<CallResult>(new InstallCode(id, InstallMode.Install, new LedgerModule(), null, new Principal("host")), timeout);
            Assert.Null(installed.Reject);
            canisters.Add(id);
        }

        // Ten of the host's actors, each depositing 20 times into one account of one canister, all at once.
        var done = new List<(Principal Canister, ulong Account, Task<ulong> Last)>();
        for (var i = 0; i < 10; i++)
        {
            var completion = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
            var canister = canisters[i % 3];
            system.ActorOf(Props.Create(() => new Depositor(subnet, canister, (ulong)(i + 1), 20, completion)));
            done.Add((canister, (ulong)(i + 1), completion.Task));
        }

        await Task.WhenAll(done.Select(d => d.Last)).WaitAsync(timeout);
        foreach (var (canister, account, last) in done)
        {
            Assert.Equal(20UL, await last);
            var balance = await subnet.Ask<CallResult>(new QueryCall(canister, "balance", account, new Principal("host")), timeout);
            Assert.Equal(20UL, balance.Reply);
        }
    }

    [Fact]
    public async Task AddActorMigrate_on_the_Akka_Hosting_builder_registers_a_working_subnet()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, TestLifetime>(); // what Microsoft.Extensions.Hosting's host would provide
        services.AddAkka("hosted-app", builder => builder.AddActorMigrate(options =>
        {
            options.Journal = PersistenceJournal.InMemory;
            options.SubnetName = "hosted";
        }));
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            var subnet = await provider.GetRequiredService<ActorRegistry>().GetAsync<ActorMigrateSubnet>();
            var id = (await subnet.Ask<CanisterCreated>(new CreateCanister(new Principal("host")), TimeSpan.FromSeconds(30))).Canister;
            await subnet.Ask<CallResult>(new InstallCode(id, InstallMode.Install, new LedgerModule(), null, new Principal("host")), TimeSpan.FromSeconds(30));
            var reply = await subnet.Ask<CallResult>(new UpdateCall(id, "deposit", (3UL, 4UL), new Principal("host")), TimeSpan.FromSeconds(30));

            Assert.Equal(4UL, reply.Reply);
            Assert.Equal("hosted", subnet.Path.Name);
        }
        finally
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The application lifetime a generic host provides (the test runs the hosted services itself).</summary>
    private sealed class TestLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopping.Cancel();
    }
}
