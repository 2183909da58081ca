using System.Text.RegularExpressions;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Calibration;

/// <summary>
/// The canbench workloads of ../shared/calibration/README.md, run through the engine with metering on.
/// Each runs in one execution; like canbench's bench scope, only the measured part is counted
/// (set-up such as the inserts before a <c>get</c> runs first, in the same execution, so pages it
/// dirtied are already dirty — as in canbench).
/// </summary>
/// <remarks>
/// Grammar: <c>btreemap_v2_[mem_manager_]{insert|get|remove|contains}_{K}_{V}</c>,
/// <c>{write|read}_chunks_stable_{1|1k|1m}</c>, <c>vec_{insert|get}_{T}</c> with types <c>u64</c>,
/// <c>blob_N</c>, <c>vec_N</c>; and the four heap rows by name.
/// </remarks>
public static partial class CalibrationWorkloads
{
    public const int Operations = 10_000;
    private const ulong HundredMiB = 100UL << 20;

    /// <summary>Instructions the named workload's measured part uses under <paramref name="costs"/>.</summary>
    public static long Measure(string name, CostModel? costs = null)
    {
        var workload = Parse(name);
        var settings = new SubnetSettings
        {
            Costs = costs ?? new CostModel(),
            // One execution, however long: calibration measures, it does not rehearse limits.
            Limits = new ExecutionLimits { MaxInstructionsPerUpdate = long.MaxValue / 4, MaxInstructionsPerSlice = long.MaxValue / 4, MaxDeltaBytesPerRound = long.MaxValue },
        };
        var subnet = new Subnet(settings);
        var controller = new Principal("calibration");
        var canister = subnet.CreateCanister(controller);
        RunToEnd(subnet, subnet.SubmitInstallCode(canister.Id, controller, InstallMode.Install, new CalibrationModule()));
        var result = RunToEnd(subnet, subnet.SubmitIngress(canister.Id, "run", workload, controller));
        return result.Reject is { } error ? throw new InvalidOperationException($"workload {name} trapped: {error}") : (long)result.Reply!;
    }

    private static CallResult RunToEnd(Subnet subnet, ulong message)
    {
        for (var i = 0; i < 100; i++)
        {
            subnet.Tick();
            if (subnet.TryGetResult(message, out var result))
            {
                return result;
            }
        }

        throw new InvalidOperationException("calibration workload did not finish");
    }

    /// <summary>The workload a benchmark name denotes.</summary>
    /// <exception cref="ArgumentException">The name is not in the grammar.</exception>
    public static Func<Ic0, long> Parse(string name)
    {
        if (ChunksPattern().Match(name) is { Success: true } chunks)
        {
            var count = chunks.Groups[2].Value switch { "1" => 1UL, "1k" => 1024UL, _ => 1UL << 20 };
            return chunks.Groups[1].Value == "write" ? ic => WriteChunks(ic, count) : ic => ReadChunks(ic, count);
        }

        if (BTreeMapPattern().Match(name) is { Success: true } map)
        {
            var op = map.Groups[2].Value;
            var memoryManager = map.Groups[1].Success;
            // "blob_32_128" is Blob<32> keys with Blob<128> values; otherwise each type is spelled out.
            var (key, value) = map.Groups[3].Success
                ? ($"{map.Groups[3].Value}_{map.Groups[4].Value}", $"{map.Groups[3].Value}_{map.Groups[5].Value}")
                : (map.Groups[6].Value, map.Groups[7].Value);
            return TypeSpec.Parse(key).Bind(TypeSpec.Parse(value), new BTreeMapWorkload(op, memoryManager));
        }

        if (VecPattern().Match(name) is { Success: true } vec)
        {
            return TypeSpec.Parse(vec.Groups[2].Value).Bind(TypeSpec.Parse("u64"), new VecWorkload(vec.Groups[1].Value));
        }

        return name switch
        {
            "heap_btreemap_insert_1m_u64_user" => ic => HeapUsers(ic, remove: false),
            "heap_btreemap_remove_1m_u64_user" => ic => HeapUsers(ic, remove: true),
            "candid_serialize_1m_users" => SerializeUsers,
            "stable_write_serialized_state_5x" => WriteSerializedState,
            _ => throw new ArgumentException($"'{name}' is not a calibration workload (see ../shared/calibration/README.md for the grammar)"),
        };
    }

    [GeneratedRegex("^(write|read)_chunks_stable_(1|1k|1m)$")]
    private static partial Regex ChunksPattern();

    [GeneratedRegex("^btreemap_v2_(mem_manager_)?(insert|get|remove|contains)_(?:(blob|vec)_(\\d+)_(\\d+)|(u64|blob_\\d+|vec_\\d+)_(u64|blob_\\d+|vec_\\d+))$")]
    private static partial Regex BTreeMapPattern();

    [GeneratedRegex("^vec_(insert|get)_(u64|blob_\\d+)$")]
    private static partial Regex VecPattern();

    private static long WriteChunks(Ic0 ic, ulong chunks)
    {
        var start = ic.InstructionCounter;
        ic.StableGrow(HundredMiB / WasmPage.SizeInBytes);
        var chunk = new byte[HundredMiB / chunks];
        for (ulong i = 0; i < chunks; i++)
        {
            ic.StableWrite(i * (ulong)chunk.Length, chunk);
        }

        return ic.InstructionCounter - start;
    }

    private static long ReadChunks(Ic0 ic, ulong chunks)
    {
        ic.StableGrow(HundredMiB / WasmPage.SizeInBytes);
        var chunk = new byte[HundredMiB / chunks];
        for (ulong i = 0; i < chunks; i++)
        {
            ic.StableWrite(i * (ulong)chunk.Length, chunk);
        }

        var start = ic.InstructionCounter;
        for (ulong i = 0; i < chunks; i++)
        {
            ic.StableRead(i * (ulong)chunk.Length, chunk);
        }

        return ic.InstructionCounter - start;
    }

    /// <summary>canbench's btreemap_vs_hashmap example: keys 0..999,999 with User { name: "foo" } (the name stands for the user).</summary>
    private static long HeapUsers(Ic0 ic, bool remove)
    {
        var users = ic.Heap.OrderedMap("users", Storable.U64, Storable.String);
        var start = ic.InstructionCounter;
        for (ulong i = 0; i < 1_000_000; i++)
        {
            users.Insert(i, "foo");
        }

        if (!remove)
        {
            return ic.InstructionCounter - start;
        }

        start = ic.InstructionCounter;
        for (ulong i = 0; i < 1_000_000; i++)
        {
            users.Remove(i);
        }

        return ic.InstructionCounter - start;
    }

    private static long SerializeUsers(Ic0 ic)
    {
        var users = ic.Heap.OrderedMap("users", Storable.U64, Storable.String);
        for (ulong i = 0; i < 1_000_000; i++)
        {
            users.Insert(i, "foo");
        }

        var start = ic.InstructionCounter;
        users.Serialize();
        return ic.InstructionCounter - start;
    }

    private static long WriteSerializedState(Ic0 ic)
    {
        var users = ic.Heap.OrderedMap("users", Storable.U64, Storable.String);
        for (ulong i = 0; i < 1_000_000; i++)
        {
            users.Insert(i, "foo");
        }

        var blob = users.Serialize();
        var start = ic.InstructionCounter;
        for (var i = 0; i < 5; i++)
        {
            var pages = ((ulong)blob.Length + WasmPage.SizeInBytes - 1) / WasmPage.SizeInBytes;
            if (ic.StableSize() < pages)
            {
                ic.StableGrow(pages - ic.StableSize());
            }

            ic.StableWrite(0, blob);
        }

        return ic.InstructionCounter - start;
    }
}
