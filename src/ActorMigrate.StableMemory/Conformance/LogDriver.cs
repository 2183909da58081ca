namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Replays <c>log INDEX_ID DATA_ID TYPE init|append X|clear</c> lines and reads
/// <c>log INDEX_ID DATA_ID TYPE len N</c> expect sections over <see cref="StableLog{T}"/>.
/// </summary>
public sealed class LogDriver : IConformanceDriver
{
    public string Keyword => "log";

    public void Apply(ConformanceContext context, IReadOnlyList<string> line)
    {
        if (line.Count < 5)
        {
            throw ConformanceValues.BadLine(line, "log INDEX_ID DATA_ID TYPE OPERATION ...");
        }

        switch (line[3])
        {
            case "bytes":
                Apply(context, line, Storable.Bytes, ConformanceValues.ParseHex);
                break;
            case "u64":
                Apply(context, line, Storable.U64, ConformanceValues.ParseU64);
                break;
            case var name when ConformanceValues.BlobBound(name) is { } bound:
                Apply(context, line, Storable.Blob(bound), text => new Blob(ConformanceValues.ParseHex(text)));
                break;
            default:
                throw ConformanceValues.UnknownType(Keyword, line[3]);
        }
    }

    public IEnumerable<string> Read(ConformanceContext context, IReadOnlyList<string> header)
    {
        if (header.Count != 6 || header[4] != "len")
        {
            throw ConformanceValues.BadLine(header, "log INDEX_ID DATA_ID TYPE len N");
        }

        var index = context.Memory(header[1]);
        var data = context.Memory(header[2]);
        return header[3] switch
        {
            "bytes" => Section(header, StableLog<byte[]>.Init(index, data, Storable.Bytes), bytes => ConformanceValues.FormatHex(bytes)),
            "u64" => Section(header, StableLog<ulong>.Init(index, data, Storable.U64), ConformanceValues.FormatU64),
            var name when ConformanceValues.BlobBound(name) is { } bound =>
                Section(header, StableLog<Blob>.Init(index, data, Storable.Blob(bound)), blob => ConformanceValues.FormatHex(blob.Span)),
            _ => throw ConformanceValues.UnknownType(Keyword, header[3]),
        };
    }

    private static IEnumerable<string> Section<T>(IReadOnlyList<string> header, StableLog<T> log, Func<T, string> format) =>
        [$"log {header[1]} {header[2]} {header[3]} len {log.Count}", .. log.Select(format)];

    private static void Apply<T>(ConformanceContext context, IReadOnlyList<string> line, IStorable<T> codec, Func<string, T> parse)
    {
        var key = $"log {line[1]} {line[2]}";
        switch (line[4], line.Count)
        {
            case ("init", 5):
                context.Structures[key] = StableLog<T>.Init(context.Memory(line[1]), context.Memory(line[2]), codec);
                break;
            case ("append", 6):
                Opened<T>(context, key).Append(parse(line[5]));
                break;
            case ("clear", 5):
                Opened<T>(context, key).Clear();
                break;
            default:
                throw ConformanceValues.BadLine(line, "log INDEX_ID DATA_ID TYPE init|append X|clear");
        }
    }

    private static StableLog<T> Opened<T>(ConformanceContext context, string key) =>
        context.Structures.TryGetValue(key, out var structure) && structure is StableLog<T> log
            ? log
            : throw new InvalidOperationException($"{key} with {typeof(T).Name} entries is used before a matching init line");
}
