using System.Buffers.Binary;
using System.Text;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Canister;

/// <summary>
/// A canister's metadata as its durable rounds carry it: everything but heap and stable memory that
/// recovery needs to bring it back. Timers and open call contexts are kept as data, their callbacks as
/// <see cref="CallbackRef"/>s (type, method, target) that the recovering process binds again.
/// </summary>
/// <remarks>
/// Layout (little-endian; str = u16 byte length + UTF-8; ref = str type, str method, 1 target
/// (0 static, 1 module, 2 closure that captured nothing)):
/// | field                        | size          |
/// |------------------------------|---------------|
/// | layout version (3)           | 1             |
/// | module name (empty: none)    | str           |
/// | module version               | 4 (i32)       |
/// | canister_version             | 8             |
/// | status (0 running, 1 stopping, 2 stopped) | 1 |
/// | wasm_memory_limit bytes      | 8 (i64)       |
/// | wasm_memory_threshold bytes  | 8 (i64)       |
/// | heap size bytes (high water) | 8 (i64)       |
/// | global timer nanos (0 off)   | 8             |
/// | controller count n           | 2             |
/// | n × controller               | str           |
/// | timer count t                | 4             |
/// | t × (id, due nanos, interval nanos, callback ref) | 24 + ref |
/// | subnet time nanos at the round | 8           |
/// | next timer id                | 8             |
/// | install_code rate-limit debt (instructions) | 8 (i64) |
/// | low-memory hook: bit 0 armed, bit 1 pending | 1 |
/// | next callback id             | 8             |
/// | open call context count c    | 4             |
/// | c × (callback id 8, origin ingress id 8, origin canister str (empty: none), origin callback id 8, has ref 1, [ref]) | .. |
/// | metrics: executions, traps, instructions used, rounds blocked, rounds held back, sliced executions aborted | 6 × 8 (i64) |
/// Layout 2 (without the metrics) is still read; its metrics read as zero.
/// </remarks>
public sealed record CanisterMetadata(
    string? ModuleName,
    int ModuleVersion,
    ulong CanisterVersion,
    CanisterStatus Status,
    long WasmMemoryLimitBytes,
    long WasmMemoryThresholdBytes,
    long HeapSizeBytes,
    ulong GlobalTimerNanos,
    IReadOnlyList<Principal> Controllers,
    IReadOnlyList<DurableTimer> Timers,
    ulong SubnetTimeNanos)
{
    public const byte LayoutVersion = 3;

    public ulong NextTimerId { get; init; }

    public long InstallCodeDebt { get; init; }

    public bool LowWasmMemoryHookArmed { get; init; } = true;

    public bool LowWasmMemoryHookPending { get; init; }

    public ulong NextCallbackId { get; init; }

    public IReadOnlyList<DurableCallContext> CallContexts { get; init; } = [];

    /// <summary>The canister's metric totals, so that a recovered canister's reports go on counting from them.</summary>
    public MetricTotals Metrics { get; init; }

    public static CanisterMetadata Of(Canisters.Canister canister, ulong subnetTimeNanos) => new(
        canister.Module?.Name,
        canister.Module?.Version ?? 0,
        canister.Version,
        canister.Status,
        canister.WasmMemoryLimitBytes,
        canister.WasmMemoryThresholdBytes,
        canister.Heap.SizeBytes,
        canister.GlobalTimerNanos,
        canister.Controllers,
        [.. canister.TimerTable.Values.Select(Durable)],
        subnetTimeNanos)
    {
        NextTimerId = canister.NextTimerId,
        InstallCodeDebt = canister.InstallCodeDebt,
        LowWasmMemoryHookArmed = canister.LowWasmMemoryHookArmed,
        LowWasmMemoryHookPending = canister.LowWasmMemoryHookPending,
        NextCallbackId = canister.NextCallbackId,
        CallContexts = canister.OpenCallContexts == 0 ? [] : canister.DurableCallContexts(),
        Metrics = canister.Metrics.Totals,
    };

    private static DurableTimer Durable(CanisterTimer timer) => new(timer.Id, timer.DueNanos, timer.IntervalNanos,
        timer.Recoverable ?? throw new InvalidOperationException(
            $"timer {timer.Id} has no recoverable callback: the canister must RequireRecoverableCallbacks before it runs"));

    public static byte[] Encode(Canisters.Canister canister, ulong subnetTimeNanos) => Of(canister, subnetTimeNanos).Encode();

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(LayoutVersion);
        WriteString(w, ModuleName ?? "");
        w.Write(ModuleVersion);
        w.Write(CanisterVersion);
        w.Write((byte)Status);
        w.Write(WasmMemoryLimitBytes);
        w.Write(WasmMemoryThresholdBytes);
        w.Write(HeapSizeBytes);
        w.Write(GlobalTimerNanos);
        w.Write(checked((ushort)Controllers.Count));
        foreach (var controller in Controllers)
        {
            WriteString(w, controller.Text);
        }

        w.Write(Timers.Count);
        foreach (var timer in Timers)
        {
            w.Write(timer.Id);
            w.Write(timer.DueNanos);
            w.Write(timer.IntervalNanos);
            WriteRef(w, timer.Callback);
        }

        w.Write(SubnetTimeNanos);
        w.Write(NextTimerId);
        w.Write(InstallCodeDebt);
        w.Write((byte)((LowWasmMemoryHookArmed ? 1 : 0) | (LowWasmMemoryHookPending ? 2 : 0)));
        w.Write(NextCallbackId);
        w.Write(CallContexts.Count);
        foreach (var context in CallContexts)
        {
            w.Write(context.CallbackId);
            w.Write(context.OriginIngressId);
            WriteString(w, context.OriginCanister?.Text ?? "");
            w.Write(context.OriginCallbackId);
            w.Write((byte)(context.Continuation is null ? 0 : 1));
            if (context.Continuation is { } continuation)
            {
                WriteRef(w, continuation);
            }
        }

        foreach (var total in (ReadOnlySpan<long>)[Metrics.Executions, Metrics.Traps, Metrics.InstructionsUsedTotal, Metrics.RoundsBlocked, Metrics.RoundsHeldBack, Metrics.SlicedExecutionsAborted])
        {
            w.Write(total);
        }

        w.Flush();
        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a metadata record of this layout.</exception>
    public static CanisterMetadata Decode(ReadOnlySpan<byte> bytes)
    {
        var position = 0;
        try
        {
            var version = bytes[position++];
            if (version is not (2 or LayoutVersion))
            {
                throw new InvalidDataException($"canister metadata has layout version {version}; this build reads 2 and {LayoutVersion}");
            }

            var module = ReadString(bytes, ref position);
            var moduleVersion = BinaryPrimitives.ReadInt32LittleEndian(bytes[position..]);
            position += 4;
            var canisterVersion = ReadU64(bytes, ref position);
            var status = (CanisterStatus)bytes[position++];
            var limit = (long)ReadU64(bytes, ref position);
            var threshold = (long)ReadU64(bytes, ref position);
            var heap = (long)ReadU64(bytes, ref position);
            var globalTimer = ReadU64(bytes, ref position);
            var controllers = new Principal[BinaryPrimitives.ReadUInt16LittleEndian(bytes[position..])];
            position += 2;
            for (var i = 0; i < controllers.Length; i++)
            {
                controllers[i] = new Principal(ReadString(bytes, ref position));
            }

            var timers = new DurableTimer[BinaryPrimitives.ReadInt32LittleEndian(bytes[position..])];
            position += 4;
            for (var i = 0; i < timers.Length; i++)
            {
                timers[i] = new DurableTimer(ReadU64(bytes, ref position), ReadU64(bytes, ref position), ReadU64(bytes, ref position), ReadRef(bytes, ref position));
            }

            var time = ReadU64(bytes, ref position);
            var nextTimerId = ReadU64(bytes, ref position);
            var debt = (long)ReadU64(bytes, ref position);
            var hook = bytes[position++];
            var nextCallbackId = ReadU64(bytes, ref position);
            var contexts = new DurableCallContext[BinaryPrimitives.ReadInt32LittleEndian(bytes[position..])];
            position += 4;
            for (var i = 0; i < contexts.Length; i++)
            {
                var callbackId = ReadU64(bytes, ref position);
                var ingress = ReadU64(bytes, ref position);
                var caller = ReadString(bytes, ref position);
                var callerCallback = ReadU64(bytes, ref position);
                var continuation = bytes[position++] == 1 ? ReadRef(bytes, ref position) : null;
                contexts[i] = new DurableCallContext(callbackId, ingress, caller.Length == 0 ? null : new Principal(caller), callerCallback, continuation);
            }

            var metrics = version < 3 ? default : new MetricTotals(
                (long)ReadU64(bytes, ref position), (long)ReadU64(bytes, ref position), (long)ReadU64(bytes, ref position),
                (long)ReadU64(bytes, ref position), (long)ReadU64(bytes, ref position), (long)ReadU64(bytes, ref position));
            if (position != bytes.Length)
            {
                throw new InvalidDataException($"canister metadata has {bytes.Length - position} bytes after its last field (offset {position})");
            }

            return new CanisterMetadata(module.Length == 0 ? null : module, moduleVersion, canisterVersion, status, limit, threshold, heap, globalTimer, controllers, timers, time)
            {
                NextTimerId = nextTimerId,
                InstallCodeDebt = debt,
                LowWasmMemoryHookArmed = (hook & 1) != 0,
                LowWasmMemoryHookPending = (hook & 2) != 0,
                NextCallbackId = nextCallbackId,
                CallContexts = contexts,
                Metrics = metrics,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"canister metadata of {bytes.Length} bytes ends inside a field (offset {position})");
        }
        catch (IndexOutOfRangeException)
        {
            throw new InvalidDataException($"canister metadata of {bytes.Length} bytes ends inside a field (offset {position})");
        }
    }

    private static void WriteRef(BinaryWriter w, CallbackRef callback)
    {
        WriteString(w, callback.DeclaringType);
        WriteString(w, callback.Method);
        w.Write((byte)callback.Target);
    }

    private static CallbackRef ReadRef(ReadOnlySpan<byte> bytes, ref int position)
    {
        var type = ReadString(bytes, ref position);
        var method = ReadString(bytes, ref position);
        var target = (CallbackTarget)bytes[position++];
        return Enum.IsDefined(target) ? new CallbackRef(type, method, target)
            : throw new InvalidDataException($"canister metadata: callback {type}::{method} has unknown target {(byte)target} (offset {position - 1})");
    }

    private static void WriteString(BinaryWriter w, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        w.Write(checked((ushort)utf8.Length));
        w.Write(utf8);
    }

    private static string ReadString(ReadOnlySpan<byte> bytes, ref int position)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[position..]);
        position += 2;
        var text = Encoding.UTF8.GetString(bytes.Slice(position, length));
        position += length;
        return text;
    }

    private static ulong ReadU64(ReadOnlySpan<byte> bytes, ref int position)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes[position..]);
        position += 8;
        return value;
    }
}
