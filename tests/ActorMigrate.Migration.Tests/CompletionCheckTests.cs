using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Migration.Tests;

public sealed class CompletionCheckTests
{
    private static (EngineHarness Ic, Principal Id, SortedDictionary<ulong, ulong> Model) Filled(MigratingModule module, int records)
    {
        var ic = new EngineHarness();
        var id = ic.CreateAndInstall(module);
        var model = new SortedDictionary<ulong, ulong>();
        for (var i = 0UL; i < (ulong)records; i++)
        {
            ic.Update<bool>(id, "put", (i * 7, i * i));
            model[i * 7] = i * i;
        }

        return (ic, id, model);
    }

    private static void Migrate(EngineHarness ic, Principal id, SortedDictionary<ulong, ulong> model)
    {
        var random = new Random(3);
        while (ic.Query<MigrationState>(id, "state").Phase == MigrationPhase.Migrating)
        {
            ic.Update<StepReport>(id, "step", 4);
            var key = (ulong)random.Next(0, 400);
            if (random.Next(4) == 0)
            {
                Assert.Equal(model.Remove(key), ic.Update<bool>(id, "remove", key));
            }
            else
            {
                ic.Update<bool>(id, "put", (key, key + 1_000));
                model[key] = key + 1_000;
            }
        }
    }

    [Theory]
    [InlineData(RoutingPolicyKind.DualWrite)]
    [InlineData(RoutingPolicyKind.PointerRouted)]
    public void A_migration_with_writes_between_steps_completes_and_its_digests_agree(RoutingPolicyKind policy)
    {
        var (ic, id, model) = Filled(new MigratingModule(), 60);
        ic.Update<MigrationState>(id, "start", policy);

        Migrate(ic, id, model);

        var state = ic.Query<MigrationState>(id, "state");
        Assert.Equal(MigrationPhase.Completed, state.Phase);
        Assert.Equal(state.LogicalDigest, state.TargetDigest);
        Assert.Equal(model.ToList(), ic.Query<List<KeyValuePair<ulong, ulong>>>(id, "all"));
    }

    [Fact]
    public void A_corrupted_copy_fails_the_digest_check_and_aborts_leaving_the_heap_store_authoritative()
    {
        var (ic, id, model) = Filled(new MigratingModule(corruptKey: 70), 60);
        ic.Update<MigrationState>(id, "start", RoutingPolicyKind.DualWrite);

        Migrate(ic, id, model);

        var state = ic.Query<MigrationState>(id, "state");
        Assert.Equal(MigrationPhase.Aborted, state.Phase);
        Assert.StartsWith("digest", state.AbortReason);
        Assert.Equal(SchemaLabel.Heap, state.Authoritative);
        Assert.Equal(model.ToList(), ic.Query<List<KeyValuePair<ulong, ulong>>>(id, "all"));
        ic.Update<bool>(id, "put", (70UL, 5UL)); // writes after the abort go to the heap store alone
        Assert.Equal(5UL, ic.Query<ulong?>(id, "get", 70UL));
    }

    [Fact]
    public void The_pointer_moves_forward_only_and_every_migrated_key_is_at_or_below_it()
    {
        var (ic, id, model) = Filled(new MigratingModule(), 30);
        ic.Update<MigrationState>(id, "start", RoutingPolicyKind.DualWrite);
        ulong? previous = null;
        while (ic.Query<MigrationState>(id, "state").Phase == MigrationPhase.Migrating)
        {
            ic.Update<StepReport>(id, "step", 2);
            var state = ic.Query<MigrationState>(id, "state");
            if (state.Pointer is null)
            {
                continue;
            }

            var pointer = StableMemory.Storable.U64.Read(state.Pointer);
            Assert.True(previous is null || pointer >= previous);
            Assert.Equal((ulong)model.Keys.Count(k => k <= pointer), state.MigratedCount);
            previous = pointer;
        }
    }
}
