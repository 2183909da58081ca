using System.Globalization;
using ActorMigrate.StableMemory.BTreeMap;

namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Replays and reads <c>btree</c> lines: <c>btree ID K V init | init_v1 | reopen | insert KEY VALUE |
/// remove KEY | pop_first | pop_last</c>, and <c>btree ID K V len N</c> sections. Types are <c>u64</c>
/// (decimal), <c>blobN</c> (<see cref="Blob"/> bounded to N bytes) and <c>bytes</c>, written as
/// lower-case hex (<c>-</c> for empty).
/// </summary>
public sealed class BTreeMapDriver : IConformanceDriver
{
    public string Keyword => "btree";

    public void Apply(ConformanceContext context, IReadOnlyList<string> line)
    {
        var id = ConformanceLine.Word(line, 1, "memory id");
        var keyType = ConformanceLine.Word(line, 2, "key type");
        var valueType = ConformanceLine.Word(line, 3, "value type");
        var op = ConformanceLine.Word(line, 4, "operation");
        var name = $"btree {id}";
        switch (op)
        {
            case "init":
            case "reopen":
                ConformanceLine.ExpectCount(line, 5, $"btree ID K V {op}");
                context.Structures[name] = Open(context.Memory(id), keyType, valueType, v1: false);
                return;
            case "init_v1":
                ConformanceLine.ExpectCount(line, 5, "btree ID K V init_v1");
                context.Structures[name] = Open(context.Memory(id), keyType, valueType, v1: true);
                return;
        }

        if (!context.Structures.TryGetValue(name, out var opened) || opened is not IMapAdapter map)
        {
            throw new ConformanceFormatException($"{name} is used before its init line");
        }

        switch (op)
        {
            case "insert":
                ConformanceLine.ExpectCount(line, 7, "btree ID K V insert KEY VALUE");
                map.Insert(line[5], line[6]);
                break;
            case "remove":
                ConformanceLine.ExpectCount(line, 6, "btree ID K V remove KEY");
                map.Remove(line[5]);
                break;
            case "pop_first":
                ConformanceLine.ExpectCount(line, 5, "btree ID K V pop_first");
                map.Pop(first: true);
                break;
            case "pop_last":
                ConformanceLine.ExpectCount(line, 5, "btree ID K V pop_last");
                map.Pop(first: false);
                break;
            default:
                throw new ConformanceFormatException($"unknown btree operation '{op}'");
        }
    }

    public IEnumerable<string> Read(ConformanceContext context, IReadOnlyList<string> header)
    {
        if (header.Count != 6 || header[4] != "len")
        {
            throw new ConformanceFormatException("a btree section is 'btree ID K V len N'");
        }

        var map = Open(context.Memory(header[1]), header[2], header[3], v1: false);
        return map.Section(header[1], header[2], header[3]);
    }

    private static IMapAdapter Open(IMemory memory, string keyType, string valueType, bool v1) =>
        keyType switch
        {
            "u64" => OpenWithKey(memory, Storable.U64, U64Text, valueType, v1),
            "bytes" => OpenWithKey(memory, Storable.Bytes, BytesText, valueType, v1),
            _ when ConformanceValues.BlobBound(keyType) is { } n => OpenWithKey(memory, Storable.Blob(n), BlobText, valueType, v1),
            _ => throw new ConformanceFormatException($"unknown key type '{keyType}' (u64, blobN, bytes)"),
        };

    private static IMapAdapter OpenWithKey<K>(IMemory memory, IStorable<K> keyCodec, Text<K> keyText, string valueType, bool v1) =>
        valueType switch
        {
            "u64" => new MapAdapter<K, ulong>(memory, keyCodec, keyText, Storable.U64, U64Text, v1),
            "bytes" => new MapAdapter<K, byte[]>(memory, keyCodec, keyText, Storable.Bytes, BytesText, v1),
            _ when ConformanceValues.BlobBound(valueType) is { } n => new MapAdapter<K, Blob>(memory, keyCodec, keyText, Storable.Blob(n), BlobText, v1),
            _ => throw new ConformanceFormatException($"unknown value type '{valueType}' (u64, blobN, bytes)"),
        };

    private static readonly Text<ulong> U64Text = new(
        word => ConformanceLine.U64([word], 0, "u64"),
        value => value.ToString(CultureInfo.InvariantCulture));

    private static readonly Text<byte[]> BytesText = new(
        word => ConformanceLine.Hex([word], 0, "bytes"),
        value => ConformanceLine.ToHex(value));

    private static readonly Text<Blob> BlobText = new(
        word => new Blob(ConformanceLine.Hex([word], 0, "blob")),
        value => ConformanceLine.ToHex(value.Span));

    /// <summary>How values of one type are written in the case files.</summary>
    private sealed record Text<T>(Func<string, T> Parse, Func<T, string> Format);

    /// <summary>A map of any key and value types, driven by the words of the case files.</summary>
    private interface IMapAdapter
    {
        void Insert(string key, string value);

        void Remove(string key);

        void Pop(bool first);

        IEnumerable<string> Section(string id, string keyType, string valueType);
    }

    private sealed class MapAdapter<K, V> : IMapAdapter
    {
        private readonly StableBTreeMap<K, V> map;
        private readonly Text<K> keyText;
        private readonly Text<V> valueText;

        public MapAdapter(IMemory memory, IStorable<K> keyCodec, Text<K> keyText, IStorable<V> valueCodec, Text<V> valueText, bool v1)
        {
            map = v1
                ? StableBTreeMap<K, V>.InitV1(memory, keyCodec, valueCodec)
                : StableBTreeMap<K, V>.Init(memory, keyCodec, valueCodec);
            this.keyText = keyText;
            this.valueText = valueText;
        }

        public void Insert(string key, string value) => map.Insert(keyText.Parse(key), valueText.Parse(value), out _);

        public void Remove(string key) => map.Remove(keyText.Parse(key));

        public void Pop(bool first) => _ = first ? map.PopFirst() : map.PopLast();

        public IEnumerable<string> Section(string id, string keyType, string valueType)
        {
            yield return $"btree {id} {keyType} {valueType} len {map.LongCount}";
            foreach (var (key, value) in map)
            {
                yield return $"{keyText.Format(key)} {valueText.Format(value)}";
            }
        }
    }
}
