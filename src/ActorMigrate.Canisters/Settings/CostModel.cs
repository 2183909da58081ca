namespace ActorMigrate.Canisters;

/// <summary>
/// Instruction costs: the IC's published system-API costs plus the Wasm work the engine does not run,
/// calibrated on ../shared/calibration/canbench.tsv (see docs/engine-calibration.md). Metering is a
/// pure function of the operations done. Names follow hocon/actormigrate.conf
/// (<c>actormigrate.canisters.costs</c>).
/// </summary>
public sealed record CostModel
{
    /// <summary>Wasm work around each system call (argument set-up, the call, the loop); the 1m-chunk rows show about 100.</summary>
    public long WasmInstructionsPerSystemCall { get; init; } = 99;

    /// <summary><c>stable64_read</c>: 20 + 1 per byte.</summary>
    public long StableReadBase { get; init; } = 20;

    /// <summary><c>stable64_write</c>: 20 + 1 per byte.</summary>
    public long StableWriteBase { get; init; } = 20;

    public long StableInstructionsPerByte { get; init; } = 1;

    /// <summary>Each 4 KiB stable page an execution dirties for the first time (0 on system subnets).</summary>
    public long StableDirtyPage { get; init; } = 1_000;

    public long StableGrow { get; init; } = 100;

    /// <summary><c>stable64_size</c>: a cheap call (structures on raw memory ask before every write).</summary>
    public long StableSize { get; init; } = 20;

    /// <summary>The MemoryManager's address translation per virtual-memory access (Wasm work, see <see cref="Ic0.VirtualMemory"/>).</summary>
    public long VirtualMemoryInstructionsPerAccess { get; init; } = 292;

    /// <summary><c>stable64_size</c>, time, caller and other cheap calls.</summary>
    public long CheapSystemCall { get; init; } = 1;

    /// <summary>Entering an execution (function prologue, argument decoding of an empty message).</summary>
    public long ExecutionBase { get; init; } = 200;

    /// <summary>Heap map or ordered map insert/replace (Rust std BTreeMap, canbench heap rows).</summary>
    public long HeapMapInsert { get; init; } = 2_700;

    public long HeapMapRemove { get; init; } = 1_540;

    public long HeapMapGet { get; init; } = 700;

    /// <summary>Copying an element in or out of a heap container, per byte of its encoding.</summary>
    public long HeapInstructionsPerByte { get; init; } = 2;

    /// <summary>Cell set/get and vector push/get/set: no search, a copy.</summary>
    public long HeapSlotAccess { get; init; } = 60;

    /// <summary>Serializing heap state (Candid), per output byte; canbench: 328.8 M for 12 MB.</summary>
    public long SerializeInstructionsPerByte { get; init; } = 27;

    /// <summary>The BTreeMap's own Wasm work (node decoding, key search, node encoding), fitted on canbench's btreemap rows.</summary>
    public StructureCosts BTreeMap { get; init; } = new() { PerRead = 770, PerByte = 2, Insert = 9_416, Get = 0, Remove = 11_653 };

    /// <summary>StableVec's own Wasm work per push and per get, fitted on canbench's vec rows.</summary>
    public StructureCosts Vec { get; init; } = new() { Insert = 97, Get = 99 };

    /// <summary>A copy of this model for a system subnet, where dirtying pages is free.</summary>
    public CostModel ForSystemSubnet() => this with { StableDirtyPage = 0 };
}
