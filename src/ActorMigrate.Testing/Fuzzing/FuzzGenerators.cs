using ActorMigrate.Canisters;
using FsCheck;
using FsCheck.Fluent;

namespace ActorMigrate.Testing.Fuzzing;

/// <summary>FsCheck generators of operations and sequences for a <see cref="FuzzTarget"/>.</summary>
public static class FuzzGenerators
{
    /// <summary>One traffic operation: puts dominate, so the store fills; removes, gets and ranges follow.</summary>
    public static Gen<FuzzOperation> Traffic(FuzzTarget target) => Gen.Frequency(
        (10, target.Keys.SelectMany(key => target.ValueFor(key).Select(value => (FuzzOperation)new PutOp(key, value)))),
        (3, target.Keys.Select(key => (FuzzOperation)new RemoveOp(key))),
        (2, target.Keys.Select(key => (FuzzOperation)new GetOp(key))),
        (1, Gen.Zip(target.Keys, Gen.Choose(1, 20), (key, limit) => (FuzzOperation)new RangeOp(key, limit))));

    /// <summary>Time: rounds (heartbeat steps) and clock moves (timer steps).</summary>
    public static Gen<FuzzOperation> Time => Gen.Frequency(
        (3, Gen.Choose(1, 8).Select(n => (FuzzOperation)new TickOp(n))),
        (1, Gen.Choose(1, 5).Select(s => (FuzzOperation)new AdvanceTimeOp(s))));

    /// <summary>One lifecycle event: upgrades and downgrades to any version, reverse migration, faults, stop/start, snapshots, strangers.</summary>
    public static Gen<FuzzOperation> Lifecycle(FuzzTarget target, bool crashes)
    {
        var version = Gen.Elements(target.Versions.ToArray());
        var settings = Gen.Choose(0, Math.Max(0, target.SettingsChoices - 1));
        var choices = new List<(int, Gen<FuzzOperation>)>
        {
            (8, Gen.Zip(version, settings, (v, s) => (FuzzOperation)new UpgradeOp(v, s))),
            (2, settings.Select(s => (FuzzOperation)new UpgradeOp(target.MigratingVersion, s, SkipPreUpgrade: true))),
            (3, Gen.Choose(1, 40).Select(c => (FuzzOperation)new ReverseMigrationOp(c))),
            (3, Gen.Elements(Enum.GetValues<InjectedTrap>()).Select(k => (FuzzOperation)new TrapNextOp(k))),
            (2, Gen.Constant((FuzzOperation)new StopOp())),
            (2, Gen.Constant((FuzzOperation)new StartOp())),
            (2, Gen.Constant((FuzzOperation)new TakeSnapshotOp())),
            (1, Gen.Choose(0, 3).Select(i => (FuzzOperation)new LoadSnapshotOp(i))),
            (1, version.Select(v => (FuzzOperation)new StrangerUpgradeOp(v))),
            (1, Gen.Choose(1, 100).Select(c => (FuzzOperation)new StrangerStepOp(c))),
        };
        if (crashes)
        {
            choices.Add((2, Gen.Constant((FuzzOperation)new CrashOp())));
        }

        return Gen.Frequency(choices.ToArray());
    }

    /// <summary>One operation of any kind, mostly traffic.</summary>
    public static Gen<FuzzOperation> Operation(FuzzTarget target, bool crashes = false) => Gen.Frequency(
        (14, Traffic(target)),
        (4, Time),
        (3, Lifecycle(target, crashes)));

    /// <summary>
    /// A sequence of <see cref="FuzzSequenceOptions.MinOperations"/> to <see cref="FuzzSequenceOptions.MaxOperations"/>
    /// operations with at least <see cref="FuzzSequenceOptions.MinLifecycleEvents"/> lifecycle events (placed at
    /// random positions when the draw had too few). It opens with <see cref="FuzzSequenceOptions.Prefill"/> puts and an
    /// upgrade to the migrating version, so a migration of a real size is under way while the rest runs.
    /// </summary>
    public static Gen<FuzzOperation[]> Sequence(FuzzTarget target, FuzzSequenceOptions? options = null)
    {
        options ??= FuzzSequenceOptions.Default;
        var lifecycle = Lifecycle(target, options.Crashes).Where(op => op.IsLifecycle); // not a stranger's step call
        var put = target.Keys.SelectMany(key => target.ValueFor(key).Select(value => (FuzzOperation)new PutOp(key, value)));
        var prefill = Math.Min(options.Prefill, options.MinOperations - 1);
        return from length in Gen.Choose(options.MinOperations - prefill - 1, options.MaxOperations - prefill - 1)
            from puts in Gen.ArrayOf(put, prefill)
            from settings in Gen.Choose(0, Math.Max(0, target.SettingsChoices - 1))
            from operations in Gen.ArrayOf(Operation(target, options.Crashes), length)
            from extra in Gen.ArrayOf(lifecycle, options.MinLifecycleEvents)
            from positions in Gen.ArrayOf(Gen.Choose(0, Math.Max(0, length - 1)), options.MinLifecycleEvents)
            select (FuzzOperation[])[.. puts, new UpgradeOp(target.MigratingVersion, settings), .. WithLifecycle(operations, extra, positions, options.MinLifecycleEvents - 1)];
    }

    private static FuzzOperation[] WithLifecycle(FuzzOperation[] operations, FuzzOperation[] extra, int[] positions, int minimum)
    {
        var result = operations.ToArray();
        var missing = Math.Min(minimum - result.Count(o => o.IsLifecycle), result.Length);
        for (var i = 0; i < missing; i++)
        {
            // The first operation at or after the drawn position that is not a lifecycle event already (two draws may collide).
            var at = Enumerable.Range(0, result.Length).Select(k => (positions[i] + k) % result.Length).First(k => !result[k].IsLifecycle);
            result[at] = extra[i];
        }

        return result;
    }

    /// <summary>The sequence a seed gives (the CLI's runs): the same seed and target always give the same operations.</summary>
    public static FuzzOperation[] Sample(FuzzTarget target, ulong seed, FuzzSequenceOptions? options = null) =>
        Sequence(target, options).Sample(1, new Rnd(seed, 0x9E3779B97F4A7C15UL | 1), 30).Single();
}
