using System.Globalization;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.StableMemory.Inspection;

/// <summary>
/// Reads a raw stable memory image (for example a canister snapshot's stable memory) without changing it:
/// whether a MemoryManager is present, and what each memory holds. Any inconsistency raises
/// <see cref="CorruptMemoryException"/> whose message names the memory and the offset.
/// </summary>
public static class ImageInspector
{
    /// <summary>
    /// The report for <paramref name="image"/>. A memory whose structure header is inconsistent is reported as
    /// <c>corrupt</c>, with the reason in <see cref="InspectionReport.Problems"/>, and the others as usual.
    /// </summary>
    /// <exception cref="CorruptMemoryException">The image is not whole pages, or its MemoryManager is inconsistent.</exception>
    public static InspectionReport Inspect(byte[] image)
    {
        var (memory, manager) = Open(image);
        var problems = new List<string>();
        if (manager is null)
        {
            return new InspectionReport(
                (ulong)image.Length, memory.Size, null, [new MemoryReport("raw", memory.Size, null, IdentifyOrFlag("raw", memory, isRaw: true, problems))], problems);
        }

        var memories = new List<MemoryReport>();
        for (var id = 0; id < MemoryManagerLayout.MaxMemories; id++)
        {
            var buckets = manager.BucketsOf(id);
            if (manager.MemorySize(id) == 0 && buckets.Count == 0)
            {
                continue;
            }

            var name = id.ToString(CultureInfo.InvariantCulture);
            memories.Add(new MemoryReport(name, manager.MemorySize(id), buckets.ToArray(), IdentifyOrFlag(name, manager.Get(id), isRaw: false, problems)));
        }

        return new InspectionReport(
            (ulong)image.Length,
            memory.Size,
            new ManagerReport(MemoryManagerLayout.LayoutVersion, manager.BucketSizeInPages, manager.AllocatedBuckets),
            memories,
            problems);
    }

    private static StructureReport IdentifyOrFlag(string id, IMemory memory, bool isRaw, List<string> problems)
    {
        try
        {
            return StructureIdentifier.Identify(memory, isRaw);
        }
        catch (StableMemoryException e) when (e is CorruptMemoryException or StableMemoryOutOfBoundsException or IncompatibleElementTypeException)
        {
            problems.Add(isRaw ? e.Message : $"memory {id}: {e.Message}");
            return new StructureReport("corrupt", $"corrupt: {e.Message}", []);
        }
    }

    /// <summary>
    /// The entries of the structure in memory <paramref name="id"/> (<c>raw</c> or 0–254), one line each: <c>KEY VALUE</c>
    /// for a BTreeMap (which needs <paramref name="keyType"/> and <paramref name="valueType"/>: its header does not say
    /// whether they are fixed-size), the value for a Cell, Vec, MinHeap (in heap-array order) or Log (whose data memory is
    /// <paramref name="logDataId"/>, or the only "GLD" memory). Values are hex unless a type is named.
    /// </summary>
    /// <exception cref="ArgumentException">The id names no memory with a structure, or a type name is unknown or missing.</exception>
    /// <exception cref="CorruptMemoryException">The structure's bytes are inconsistent (the message says where).</exception>
    public static IEnumerable<string> Dump(byte[] image, string id, string? keyType = null, string? valueType = null, string? logDataId = null)
    {
        var (memory, manager) = Open(image);
        var target = MemoryById(memory, manager, id);
        var report = Identify(id, target, isRaw: manager is null);
        try
        {
            return report.Kind switch
            {
                "btreemap" => DumpBTreeMap(target, report, keyType, valueType),
                "cell" => [StableCell<string>.Init(target, Codec(valueType, StorableBound.Unbounded), "").Value],
                "vec" => Materialize(StableVec<string>.Init(target, Codec(valueType, StructureIdentifier.ElementBound(target)))),
                "minheap" => Materialize(StableMinHeap<string>.Init(target, Codec(valueType, StructureIdentifier.ElementBound(target)))),
                "log-index" => Materialize(StableLog<string>.Init(target, LogData(memory, manager, logDataId), Codec(valueType, StorableBound.Unbounded))),
                _ => throw new ArgumentException($"memory {id} holds no structure to dump: {report.Summary}"),
            };
        }
        catch (StableMemoryOutOfBoundsException e)
        {
            throw new CorruptMemoryException($"memory {id}: {e.Message}");
        }
        catch (IncompatibleElementTypeException) when (valueType is not null)
        {
            throw new ArgumentException(
                $"memory {id} holds elements bounded to {StructureIdentifier.ElementBound(target)}, but {valueType} is {DisplayCodecs.ByName(valueType).Bound}: name the stored type with --value");
        }
    }

    private static (IMemory Memory, MemoryManager? Manager) Open(byte[] image)
    {
        if ((ulong)image.Length % WasmPage.SizeInBytes != 0)
        {
            throw new CorruptMemoryException(
                $"the image is {image.Length} bytes long, not a whole number of 64 KiB pages: it is truncated (the last page has {(ulong)image.Length % WasmPage.SizeInBytes} bytes)");
        }

        IMemory memory = new ReadOnlyImage(SparseMemory.FromImage(image));
        if (!MemoryManager.HasMagic(memory))
        {
            return (memory, null);
        }

        var manager = MemoryManager.Load(memory);
        for (var id = 0; id < MemoryManagerLayout.MaxMemories; id++)
        {
            foreach (var bucket in manager.BucketsOf(id))
            {
                var end = MemoryManagerLayout.BucketsOffsetInPages + ((ulong)(bucket + 1) * manager.BucketSizeInPages);
                if (end > memory.Size)
                {
                    throw new CorruptMemoryException(
                        $"memory {id}'s bucket {bucket} ends at page {end}, beyond the image's {memory.Size} pages: the image is truncated");
                }
            }
        }

        return (memory, manager);
    }

    private static StructureReport Identify(string id, IMemory memory, bool isRaw)
    {
        try
        {
            return StructureIdentifier.Identify(memory, isRaw);
        }
        catch (StableMemoryException e) when (e is CorruptMemoryException or StableMemoryOutOfBoundsException or IncompatibleElementTypeException)
        {
            throw new CorruptMemoryException(isRaw ? e.Message : $"memory {id}: {e.Message}");
        }
    }

    private static IMemory MemoryById(IMemory memory, MemoryManager? manager, string id)
    {
        if (id == "raw")
        {
            return manager is null
                ? memory
                : throw new ArgumentException("the image holds a MemoryManager: name a virtual memory id (0–254), not raw");
        }

        if (manager is null)
        {
            throw new ArgumentException($"the image holds no MemoryManager, so there is no memory {id}: use raw");
        }

        return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < MemoryManagerLayout.MaxMemories
            ? manager.Get(number)
            : throw new ArgumentException($"memory id '{id}' is neither raw nor 0–254");
    }

    private static IMemory LogData(IMemory memory, MemoryManager? manager, string? logDataId)
    {
        if (logDataId is not null)
        {
            var data = MemoryById(memory, manager, logDataId);
            return data.Size > 0 && StartsWith(data, LayoutMagic.LogData)
                ? data
                : throw new ArgumentException($"memory {logDataId} holds no Log data (no \"GLD\" magic)");
        }

        var candidates = manager is null
            ? []
            : Enumerable.Range(0, MemoryManagerLayout.MaxMemories)
                .Where(id => manager.MemorySize(id) > 0 && StartsWith(manager.Get(id), LayoutMagic.LogData))
                .ToList();
        return candidates.Count == 1
            ? manager!.Get(candidates[0])
            : throw new ArgumentException(
                $"a Log's data lives in another memory, and {(candidates.Count == 0 ? "no" : candidates.Count.ToString(CultureInfo.InvariantCulture))} memories hold Log data: name it with --log-data ID");
    }

    private static bool StartsWith(IMemory memory, ReadOnlySpan<byte> magic)
    {
        Span<byte> head = stackalloc byte[3];
        memory.Read(0, head);
        return head.SequenceEqual(magic);
    }

    private static IStorable<string> Codec(string? typeName, StorableBound bound) =>
        typeName is null ? DisplayCodecs.Hex(bound) : DisplayCodecs.ByName(typeName);

    private static IEnumerable<string> DumpBTreeMap(IMemory memory, StructureReport report, string? keyType, string? valueType)
    {
        if (keyType is null || valueType is null)
        {
            throw new ArgumentException(
                $"a BTreeMap's header does not say whether its keys and values are fixed-size, which decides its node layout: name both with --key and --value ({DisplayCodecs.TypeNames})");
        }

        var length = (ulong)report.Details.First(d => d.Key == "length").Value;
        var map = StableBTreeMap<string, string>.Load(memory, DisplayCodecs.ByName(keyType), DisplayCodecs.ByName(valueType));
        var lines = new List<string>();
        foreach (var (key, value) in map)
        {
            // Corrupt child addresses can form a cycle; the header's length bounds the walk.
            if ((ulong)lines.Count == length)
            {
                throw new CorruptMemoryException($"the BTreeMap yields more entries than the {length} its header records at offset 20");
            }

            lines.Add($"{key} {value}");
        }

        return (ulong)lines.Count == length
            ? lines
            : throw new CorruptMemoryException($"the BTreeMap yields {lines.Count} entries, but its header records {length} at offset 20");
    }

    /// <summary>Reads everything now, so that corrupt bytes raise here and not while the caller prints.</summary>
    private static List<string> Materialize(IEnumerable<string> entries) => entries.ToList();
}
