namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Replays <c>vec ID TYPE init|push X|pop|set INDEX X|clear</c> lines and reads <c>vec ID TYPE len N</c>
/// expect sections over <see cref="StableVec{T}"/>.
/// </summary>
public sealed class VecDriver : IConformanceDriver
{
    public string Keyword => "vec";

    public void Apply(ConformanceContext context, IReadOnlyList<string> line)
    {
        if (line.Count < 4)
        {
            throw ConformanceValues.BadLine(line, "vec ID TYPE OPERATION ...");
        }

        switch (line[2])
        {
            case "u64":
                Apply(context, line, Storable.U64, ConformanceValues.ParseU64);
                break;
            case var name when ConformanceValues.BlobBound(name) is { } bound:
                Apply(context, line, Storable.Blob(bound), text => new Blob(ConformanceValues.ParseHex(text)));
                break;
            default:
                throw ConformanceValues.UnknownType(Keyword, line[2]);
        }
    }

    public IEnumerable<string> Read(ConformanceContext context, IReadOnlyList<string> header)
    {
        if (header.Count != 5 || header[3] != "len")
        {
            throw ConformanceValues.BadLine(header, "vec ID TYPE len N");
        }

        var memory = context.Memory(header[1]);
        return header[2] switch
        {
            "u64" => Section(header, StableVec<ulong>.Init(memory, Storable.U64), ConformanceValues.FormatU64),
            var name when ConformanceValues.BlobBound(name) is { } bound =>
                Section(header, StableVec<Blob>.Init(memory, Storable.Blob(bound)), blob => ConformanceValues.FormatHex(blob.Span)),
            _ => throw ConformanceValues.UnknownType(Keyword, header[2]),
        };
    }

    private static IEnumerable<string> Section<T>(IReadOnlyList<string> header, StableVec<T> vec, Func<T, string> format) =>
        [$"vec {header[1]} {header[2]} len {vec.Count}", .. vec.Select(format)];

    private static void Apply<T>(ConformanceContext context, IReadOnlyList<string> line, IStorable<T> codec, Func<string, T> parse)
    {
        var key = $"vec {line[1]}";
        switch (line[3], line.Count)
        {
            case ("init", 4):
                context.Structures[key] = StableVec<T>.Init(context.Memory(line[1]), codec);
                break;
            case ("push", 5):
                Opened<T>(context, key).Push(parse(line[4]));
                break;
            case ("pop", 4):
                Opened<T>(context, key).TryPop(out _);
                break;
            case ("set", 6):
                Opened<T>(context, key).Set(ConformanceValues.ParseU64(line[4]), parse(line[5]));
                break;
            case ("clear", 4):
                Opened<T>(context, key).Clear();
                break;
            default:
                throw ConformanceValues.BadLine(line, "vec ID TYPE init|push X|pop|set INDEX X|clear");
        }
    }

    private static StableVec<T> Opened<T>(ConformanceContext context, string key) =>
        context.Structures.TryGetValue(key, out var structure) && structure is StableVec<T> vec
            ? vec
            : throw new InvalidOperationException($"{key} with {typeof(T).Name} elements is used before a matching init line");
}
