using System.Buffers.Binary;

namespace ActorMigrate.StableMemory.Inspection;

/// <summary>
/// Says what one memory holds from its first bytes: the magic picks the structure, its header gives the
/// figures. Reads only headers (and, for a BTreeMap, one node per level), so it takes bounded time on any
/// bytes; a header that contradicts itself or the memory raises <see cref="CorruptMemoryException"/>.
/// </summary>
internal static class StructureIdentifier
{
    private const int BTreeMapMaxDepth = 40;
    private const ulong BTreeMapHeaderSize = 100; // header (52) + allocator header (48)

    public static StructureReport Identify(IMemory memory, bool isRaw)
    {
        var size = memory.SizeInBytes();
        if (size == 0)
        {
            return new StructureReport("empty", "empty (no pages)", []);
        }

        Span<byte> head = stackalloc byte[16];
        memory.Read(0, head);
        return head[..3] switch
        {
            var m when m.SequenceEqual("BTR"u8) => BTreeMap(memory),
            var m when m.SequenceEqual(LayoutMagic.Cell) => Cell(memory),
            var m when m.SequenceEqual(LayoutMagic.Vec) => Vec(memory, minHeap: false),
            var m when m.SequenceEqual(LayoutMagic.MinHeap) => Vec(memory, minHeap: true),
            var m when m.SequenceEqual(LayoutMagic.LogIndex) => LogIndex(memory),
            var m when m.SequenceEqual(LayoutMagic.LogData) => LogData(memory, head[3]),
            _ => Other(memory, head, isRaw),
        };
    }

    private static StructureReport BTreeMap(IMemory memory)
    {
        if (memory.SizeInBytes() < BTreeMapHeaderSize)
        {
            throw new CorruptMemoryException($"a BTreeMap header needs {BTreeMapHeaderSize} bytes, but the memory has {memory.SizeInBytes()}");
        }

        Span<byte> header = stackalloc byte[28];
        memory.Read(0, header);
        var version = header[3];
        var a = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var b = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var root = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(header[20..]);
        Span<byte> allocator = stackalloc byte[3];
        memory.Read(52, allocator);
        if (!allocator.SequenceEqual("BTA"u8))
        {
            throw new CorruptMemoryException($"BTreeMap allocator magic at offset 52 is {LayoutMagic.Describe(allocator)}, not \"BTA\"");
        }

        var details = new List<KeyValuePair<string, object>> { new("layoutVersion", version) };
        uint? maxKey = null, maxValue = null;
        switch (version)
        {
            case 1:
            case 2 when b != uint.MaxValue:
                (maxKey, maxValue) = (a, b);
                details.Add(new("maxKeySize", a));
                details.Add(new("maxValueSize", b));
                break;
            case 2:
                details.Add(new("pageSize", a));
                break;
            default:
                throw new CorruptMemoryException($"BTreeMap layout version {version} at offset 3 is neither 1 nor 2");
        }

        var depth = Depth(memory, root, length, maxKey, maxValue);
        details.Add(new("length", length));
        details.Add(new("depth", depth));
        details.Add(new("rootAddress", root));
        var bounds = maxKey is null ? $"page size {a} bytes" : $"keys ≤ {maxKey} bytes, values ≤ {maxValue} bytes";
        return new StructureReport("btreemap", $"BTreeMap v{version} ({bounds}), {length} entries, depth {depth}", details);
    }

    /// <summary>Levels from the root to the leftmost leaf (0 for an empty map), checking each node's header.</summary>
    private static int Depth(IMemory memory, ulong root, ulong length, uint? maxKey, uint? maxValue)
    {
        if (root == 0)
        {
            return length == 0
                ? 0
                : throw new CorruptMemoryException($"BTreeMap length {length} at offset 20, but the root address at offset 12 is 0");
        }

        var address = root;
        Span<byte> header = stackalloc byte[7];
        for (var depth = 1; depth <= BTreeMapMaxDepth; depth++)
        {
            CheckInside(memory, address, 15, $"BTreeMap node at level {depth}");
            memory.Read(address, header);
            if (!header[..3].SequenceEqual("BTN"u8))
            {
                throw new CorruptMemoryException(
                    $"BTreeMap node at level {depth}, address {address}, starts with {LayoutMagic.Describe(header[..3])}, not \"BTN\"");
            }

            var entries = BinaryPrimitives.ReadUInt16LittleEndian(header[5..]);
            if (entries is 0 or > 11)
            {
                throw new CorruptMemoryException($"BTreeMap node at address {address} says it holds {entries} entries; a node holds 1 to 11");
            }

            if (header[4] == 0)
            {
                return depth;
            }

            if (header[4] != 1)
            {
                throw new CorruptMemoryException($"BTreeMap node at address {address} has type {header[4]}, neither leaf (0) nor internal (1)");
            }

            ulong childOffset = header[3] switch
            {
                2 => 15,
                1 when maxKey is { } k && maxValue is { } v => 7 + (entries * (8UL + k + v)),
                1 => throw new CorruptMemoryException($"BTreeMap node at address {address} is a version-1 node in a map whose header records no key and value sizes"),
                _ => throw new CorruptMemoryException($"BTreeMap node at address {address} has layout version {header[3]}"),
            };
            CheckInside(memory, address + childOffset, 8, $"first child of the BTreeMap node at address {address}");
            address = memory.ReadU64(address + childOffset);
        }

        throw new CorruptMemoryException($"BTreeMap is deeper than {BTreeMapMaxDepth} levels: its child addresses must form a cycle");
    }

    private static StructureReport Cell(IMemory memory)
    {
        var version = Version(memory);
        var length = memory.ReadU32(4);
        if (version != StableCell<byte[]>.LayoutVersion)
        {
            throw new CorruptMemoryException($"Cell layout version {version} at offset 3 is not 1");
        }

        CheckInside(memory, 8, length, "Cell value");
        return new StructureReport("cell", $"Cell holding a {length}-byte value", [new("layoutVersion", version), new("valueSize", length)]);
    }

    private static StructureReport Vec(IMemory memory, bool minHeap)
    {
        var name = minHeap ? "MinHeap" : "Vec";
        var bound = ElementBound(memory);
        var readOnly = new ReadOnlyImage(memory);
        var count = minHeap
            ? StableMinHeap<string>.Init(readOnly, DisplayCodecs.Hex(bound)).Count
            : StableVec<string>.Init(readOnly, DisplayCodecs.Hex(bound)).Count;
        return new StructureReport(
            minHeap ? "minheap" : "vec",
            $"{name} of {count} elements ({bound})",
            [new("layoutVersion", Version(memory)), new("length", count), new("elementMaxSize", bound.MaxSize), new("elementFixedSize", bound.IsFixedSize)]);
    }

    /// <summary>The element bound a Vec or MinHeap header records (offsets 12 and 16).</summary>
    public static StorableBound ElementBound(IMemory memory)
    {
        CheckInside(memory, 0, 64, "Vec header");
        var maxSize = memory.ReadU32(12);
        Span<byte> fixedFlag = stackalloc byte[1];
        memory.Read(16, fixedFlag);
        return fixedFlag[0] != 0 ? StorableBound.Bounded(maxSize, isFixedSize: true) : StorableBound.Bounded(maxSize);
    }

    private static StructureReport LogIndex(IMemory memory)
    {
        var version = Version(memory);
        if (version != StableLog<byte[]>.LayoutVersion)
        {
            throw new CorruptMemoryException($"Log index layout version {version} at offset 3 is not 1");
        }

        CheckInside(memory, 32, 8, "Log entry count");
        var count = memory.ReadU64(32);
        var slots = (memory.SizeInBytes() - 40) / 8;
        if (count > slots)
        {
            throw new CorruptMemoryException($"Log count {count} at offset 32 needs {count} index slots, but the index memory holds {slots}");
        }

        var bytes = count == 0 ? 0 : memory.ReadU64(40 + ((count - 1) * 8));
        return new StructureReport(
            "log-index",
            $"Log index of {count} entries ({bytes} bytes of data)",
            [new("layoutVersion", version), new("length", count), new("dataBytes", bytes)]);
    }

    private static StructureReport LogData(IMemory memory, byte version) =>
        version == StableLog<byte[]>.LayoutVersion
            ? new StructureReport("log-data", $"Log data ({memory.SizeInBytes() - 32} bytes after the header)", [new("layoutVersion", version)])
            : throw new CorruptMemoryException($"Log data layout version {version} at offset 3 is not 1");

    private static StructureReport Other(IMemory memory, ReadOnlySpan<byte> head, bool isRaw)
    {
        // A pre_upgrade hook's serialized state: a u32 length, then the bytes. Raw memory holds one when the
        // canister predates the MemoryManager; a virtual memory when it is the one reserved for the upgrade blob.
        var length = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (length > 0 && 4UL + length <= memory.SizeInBytes())
        {
            return new StructureReport(
                "length-prefixed-blob",
                $"a length-prefixed blob at offset 0 ({length} bytes after a 4-byte length{(isRaw ? "; no MemoryManager" : "")})",
                [new("length", length)]);
        }

        var first = new byte[(int)Math.Min(4096, memory.SizeInBytes())];
        memory.Read(0, first);
        return first.AsSpan().IndexOfAnyExcept((byte)0) < 0
            ? new StructureReport("zeros", $"no structure: the first {first.Length} bytes are zero", [])
            : new StructureReport("unknown", $"unknown bytes, starting {Convert.ToHexStringLower(head)}", [new("firstBytes", Convert.ToHexStringLower(head))]);
    }

    private static byte Version(IMemory memory)
    {
        Span<byte> version = stackalloc byte[1];
        memory.Read(3, version);
        return version[0];
    }

    private static void CheckInside(IMemory memory, ulong offset, ulong length, string what)
    {
        var size = memory.SizeInBytes();
        if (offset > size || length > size - offset)
        {
            throw new CorruptMemoryException($"{what} at offset {offset} ({length} bytes) lies beyond the memory of {size} bytes");
        }
    }
}
