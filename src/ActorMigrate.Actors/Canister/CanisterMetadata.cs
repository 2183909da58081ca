using System.Buffers.Binary;
using System.Text;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Canister;

/// <summary>
/// A canister's metadata as its durable rounds carry it: everything but heap and stable memory that
/// recovery needs to bring it back. Timers are kept as data (id, due time, interval); their callbacks
/// are module code and cannot be stored.
/// </summary>
/// <remarks>
/// Layout (little-endian; str = u16 byte length + UTF-8):
/// | field                        | size          |
/// |------------------------------|---------------|
/// | layout version (1)           | 1             |
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
/// | t × (id, due nanos, interval nanos) | 24     |
/// | subnet time nanos at the round | 8           |
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
    IReadOnlyList<(ulong Id, ulong DueNanos, ulong IntervalNanos)> Timers,
    ulong SubnetTimeNanos)
{
    public const byte LayoutVersion = 1;

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
        [.. canister.TimerTable.Values.Select(t => (t.Id, t.DueNanos, t.IntervalNanos))],
        subnetTimeNanos);

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
        foreach (var (timerId, due, interval) in Timers)
        {
            w.Write(timerId);
            w.Write(due);
            w.Write(interval);
        }

        w.Write(SubnetTimeNanos);
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
            if (version != LayoutVersion)
            {
                throw new InvalidDataException($"canister metadata has layout version {version}; this build reads {LayoutVersion}");
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

            var timers = new (ulong, ulong, ulong)[BinaryPrimitives.ReadInt32LittleEndian(bytes[position..])];
            position += 4;
            for (var i = 0; i < timers.Length; i++)
            {
                timers[i] = (ReadU64(bytes, ref position), ReadU64(bytes, ref position), ReadU64(bytes, ref position));
            }

            var time = ReadU64(bytes, ref position);
            if (position != bytes.Length)
            {
                throw new InvalidDataException($"canister metadata has {bytes.Length - position} bytes after its last field (offset {position})");
            }

            return new CanisterMetadata(module.Length == 0 ? null : module, moduleVersion, canisterVersion, status, limit, threshold, heap, globalTimer, controllers, timers, time);
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
