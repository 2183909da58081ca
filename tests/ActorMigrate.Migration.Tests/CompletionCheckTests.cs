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
    public void Starting_a_migration_reads_no_record_so_its_cost_does_not_grow_with_the_record_count()
    {
        long StartCost(int records)
        {
            var (ic, id, _) = Filled(new MigratingModule(), records);
            ic.Update<MigrationState>(id, "start", RoutingPolicyKind.DualWrite);
            return ic.Report(id).LastInstructionsUsed;
        }

        var few = StartCost(20);
        var many = StartCost(600);

        // Hashing the 580 extra records alone would add far more than this (the digest is taken by the steps).
        Assert.InRange(many, few * 9 / 10, few * 11 / 10);
    }

    [Theory]
    [InlineData(RoutingPolicyKind.DualWrite)]
    [InlineData(RoutingPolicyKind.PointerRouted)]
    public void Writes_above_the_pointer_before_a_step_reaches_them_are_in_the_digest_the_completion_checks(RoutingPolicyKind policy)
    {
        var (ic, id, model) = Filled(new MigratingModule(corruptKey: 350), 60);
        ic.Update<MigrationState>(id, "start", policy);
        ic.Update<StepReport>(id, "step", 10);

        ic.Update<bool>(id, "put", (350UL, 9UL)); // above the pointer: in the heap only until a step copies it, wrongly
        model[350] = 9;
        Migrate(ic, id, model);

        var state = ic.Query<MigrationState>(id, "state");
        Assert.Equal(MigrationPhase.Aborted, state.Phase);
        Assert.StartsWith("digest", state.AbortReason);
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
