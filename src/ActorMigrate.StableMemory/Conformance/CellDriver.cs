namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Replays and reads <c>cell ID TYPE init VALUE</c> / <c>cell ID TYPE set VALUE</c> lines and
/// <c>cell ID TYPE VALUE</c> expect headers over <see cref="StableCell{T}"/>.
/// </summary>
public sealed class CellDriver : IConformanceDriver
{
    public string Keyword => "cell";

    public void Apply(ConformanceContext context, IReadOnlyList<string> line)
    {
        if (line.Count != 5)
        {
            throw ConformanceValues.BadLine(line, "cell ID TYPE init|set VALUE");
        }

        switch (line[2])
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
                throw ConformanceValues.UnknownType(Keyword, line[2]);
        }
    }

    public IEnumerable<string> Read(ConformanceContext context, IReadOnlyList<string> header)
    {
        if (header.Count != 4)
        {
            throw ConformanceValues.BadLine(header, "cell ID TYPE VALUE");
        }

        var memory = context.Memory(header[1]);
        var value = header[2] switch
        {
            "bytes" => ConformanceValues.FormatHex(StableCell<byte[]>.Init(memory, Storable.Bytes, []).Value),
            "u64" => ConformanceValues.FormatU64(StableCell<ulong>.Init(memory, Storable.U64, 0).Value),
            var name when ConformanceValues.BlobBound(name) is { } bound =>
                ConformanceValues.FormatHex(StableCell<Blob>.Init(memory, Storable.Blob(bound), Blob.Empty).Value.Span),
            _ => throw ConformanceValues.UnknownType(Keyword, header[2]),
        };
        return [$"cell {header[1]} {header[2]} {value}"];
    }

    private static void Apply<T>(ConformanceContext context, IReadOnlyList<string> line, IStorable<T> codec, Func<string, T> parse)
    {
        var key = $"cell {line[1]}";
        var value = parse(line[4]);
        switch (line[3])
        {
            case "init":
                context.Structures[key] = StableCell<T>.Init(context.Memory(line[1]), codec, value);
                break;
            case "set":
                Opened<StableCell<T>>(context, key).Set(value);
                break;
            default:
                throw ConformanceValues.BadLine(line, "cell ID TYPE init|set VALUE");
        }
    }

    private static TStructure Opened<TStructure>(ConformanceContext context, string key) =>
        context.Structures.TryGetValue(key, out var structure) && structure is TStructure typed
            ? typed
            : throw new InvalidOperationException($"{key} is used before a matching init line");
}
