using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration.Planning;

/// <summary>
/// Answers "does my migration fit, and how long will it take?" by measuring a sample of records of the
/// given size on a scratch subnet with the caller's settings — the same cost model and limits the engine
/// meters with — and scaling per record. Scaling is linear; a BTreeMap's depth grows with the log of the
/// record count, so figures for counts far above the sample are slight underestimates (see docs/migration.md).
/// </summary>
public static class MigrationPlanner
{
    private static readonly Principal Controller = new("planner");

    /// <summary>Measures per-record costs for records of <paramref name="recordBytes"/> on <paramref name="sample"/> records.</summary>
    public static RecordCosts Measure(SubnetSettings settings, int recordBytes, int sample = 400)
    {
        var valueBytes = Math.Max(0, recordBytes - 8);
        var subnet = new Subnet(settings);
        var id = subnet.CreateCanister(Controller).Id;
        Await(subnet, id, subnet.SubmitInstallCode(id, Controller, InstallMode.Install, new PlanProbeModule()));
        for (var from = 0; from < sample; from += 500)
        {
            Call(subnet, id, "fill", ((ulong)from * 2, Math.Min(500, sample - from), valueBytes));
        }

        var canister = subnet[id];
        // Per access: a call minus a call that only opens the stores (modules reopen them every execution; a Rust canister keeps them).
        var opening = Query(subnet, id, "open", null);
        var heapWrite = Average(10, i => Call(subnet, id, "put", ((ulong)i * 2, valueBytes)).Instructions) - opening;
        var heapRead = Average(10, i => Query(subnet, id, "get", (ulong)i * 2)) - opening;

        // Atomic: an upgrade whose post_upgrade migrates everything.
        var atomic = Await(subnet, id, subnet.SubmitInstallCode(id, Controller, InstallMode.Upgrade, new PlanProbeModule(), MigrationDirection.HeapToStable));
        var manager = MemoryManager.Load(canister.StableMemory);
        var bucketBytes = (long)manager.BucketSizeInPages * (long)WasmPage.SizeInBytes;
        var stableBytes = (double)WasmPage.ToBytes(manager.MemorySize(StableLayout.RecordsMemory)) / sample;
        var overhead = (long)canister.StableMemoryBytes - manager.BucketsOf(StableLayout.RecordsMemory).Count * bucketBytes;
        var heapBytes = (double)canister.Heap.SizeBytes / sample;
        opening = Query(subnet, id, "open", null);
        var stableWrite = Average(10, i => Call(subnet, id, "put", ((ulong)i * 2, valueBytes)).Instructions) - opening;
        var stableRead = Average(10, i => Query(subnet, id, "get", (ulong)i * 2)) - opening;

        // Reverse in one upgrade (a downgrade after completion must bring everything back to the heap).
        var reverse = Await(subnet, id, subnet.SubmitInstallCode(id, Controller, InstallMode.Upgrade, new PlanProbeModule(), MigrationDirection.StableToHeap));

        // Incremental steps on a fresh canister: overhead from a one-record step, per record from a large one.
        var fresh = subnet.CreateCanister(Controller).Id;
        Await(subnet, fresh, subnet.SubmitInstallCode(fresh, Controller, InstallMode.Install, new PlanProbeModule()));
        for (var from = 0; from < sample; from += 500)
        {
            Call(subnet, fresh, "fill", ((ulong)from * 2, Math.Min(500, sample - from), valueBytes));
        }

        Call(subnet, fresh, "start", MigrationDirection.HeapToStable);
        var one = Call(subnet, fresh, "step", 1).Instructions;
        var big = Math.Max(2, sample / 2);
        var many = Call(subnet, fresh, "step", big).Instructions;
        var perRecord = (double)(many - one) / (big - 1);
        return new RecordCosts(recordBytes, heapWrite, heapRead, stableWrite, stableRead, perRecord, one - perRecord,
            (double)atomic / sample, (double)reverse / sample, stableBytes, overhead, heapBytes);
    }

    /// <summary>The plan for <paramref name="records"/> records of mean size <paramref name="meanBytes"/> (largest <paramref name="maxBytes"/>).</summary>
    public static MigrationPlan Plan(SubnetSettings settings, long records, int meanBytes, int maxBytes, int fixedChunk = 20, int slicePermille = 500, RecordCosts? costs = null)
    {
        var c = costs ?? Measure(settings, meanBytes);
        var limits = settings.Limits;
        var slice = limits.MaxInstructionsPerSlice;
        var atomic = (long)(c.AtomicUpgradePerRecord * records);
        var dirty = (long)(c.StableBytesPerRecord * records);
        var heap = (long)(c.HeapBytesPerRecord * records);
        var fits = atomic <= limits.MaxInstructionsPerInstallCode && dirty <= limits.MaxDirtyStableBytesPerInstallCode &&
                   heap <= limits.MaxHeapBytes && heap <= limits.DefaultWasmMemoryLimitBytes;
        var fixedStep = (long)(c.StepOverhead + c.StepPerRecord * fixedChunk);
        var fixedSteps = Ceiling(records, fixedChunk) + 1; // the last step finds the end and runs the checks
        var budgetChunk = (int)Math.Max(1, (slice * slicePermille / 1_000 - c.StepOverhead) / c.StepPerRecord);
        var budgetStep = (long)(c.StepOverhead + c.StepPerRecord * budgetChunk);
        var budgetSteps = Ceiling(records, budgetChunk) + 1;
        var bucket = (long)MemoryManagerLayout.DefaultBucketSizeInPages * (long)WasmPage.SizeInBytes;
        var stableNeeded = c.StableOverheadBytes + Ceiling(dirty, bucket) * bucket;
        var cap = (long)MemoryManagerLayout.MaxBuckets * MemoryManagerLayout.DefaultBucketSizeInPages * (long)WasmPage.SizeInBytes;
        var downgrade = (long)(c.ReverseUpgradePerRecord * records);
        return new MigrationPlan(
            records, meanBytes, maxBytes, atomic, limits.MaxInstructionsPerInstallCode, dirty, limits.MaxDirtyStableBytesPerInstallCode,
            heap, limits.MaxHeapBytes, limits.DefaultWasmMemoryLimitBytes, fits,
            fixedChunk, fixedStep, fixedSteps, budgetChunk, budgetStep, budgetSteps, slice,
            Ceiling(fixedStep, slice) - 1, Ceiling(budgetStep, slice) - 1,
            TimeSpan.FromSeconds(fixedSteps * Ceiling(fixedStep, slice)), TimeSpan.FromSeconds(budgetSteps * Ceiling(budgetStep, slice)),
            stableNeeded, cap, stableNeeded <= cap, downgrade, downgrade <= limits.MaxInstructionsPerInstallCode,
            (long)c.HeapRead, (long)c.HeapWrite, (long)c.StableRead, (long)c.StableWrite);
    }

    private static long Ceiling(long a, long b) => (a + b - 1) / b;

    private static double Average(int n, Func<int, long> measure) => Enumerable.Range(0, n).Select(measure).Average();

    private static long Query(Subnet subnet, Principal id, string method, object? arg)
    {
        var result = subnet.Query(id, method, arg, Controller);
        if (result.Reject is { } error)
        {
            throw new InvalidOperationException($"planner probe: {method} was rejected: {error}");
        }

        return subnet[id].Metrics.LastInstructionsUsed;
    }

    private static (object? Reply, long Instructions) Call(Subnet subnet, Principal id, string method, object? arg)
    {
        var instructions = Await(subnet, id, subnet.SubmitIngress(id, method, arg, Controller));
        return (null, instructions);
    }

    private static long Await(Subnet subnet, Principal id, ulong message)
    {
        for (var round = 0; round < 100_000; round++)
        {
            subnet.Tick();
            if (subnet.TryTakeResult(message, out var result))
            {
                return result.Reject is { } error
                    ? throw new InvalidOperationException($"planner probe: message {message} was rejected: {error}")
                    : subnet[id].Metrics.LastInstructionsUsed;
            }
        }

        throw new TimeoutException($"planner probe: message {message} got no answer");
    }
}
