namespace ActorMigrate.StableMemory.Conformance;

/// <summary>Replays a case's <c>.ops</c> lines on an empty memory, as the Rust generator applied them.</summary>
internal static class ConformanceReplay
{
    /// <summary>The underlying memory after every line. Throws <see cref="ConformanceLineException"/> naming the failing line.</summary>
    public static SparseMemory Run(IReadOnlyList<string> lines, IReadOnlyDictionary<string, IConformanceDriver> drivers)
    {
        var memories = new ConformanceMemories(new SparseMemory(), loadManagerOnDemand: false);
        var context = new ConformanceContext(memories.Memory);
        var sawFirst = false;
        for (var index = 0; index < lines.Count; index++)
        {
            var words = ConformanceLine.Split(lines[index]);
            if (words.Length == 0)
            {
                continue;
            }

            try
            {
                if (!sawFirst)
                {
                    sawFirst = true;
                    ApplyFirst(memories, words);
                }
                else
                {
                    Apply(memories, context, drivers, words);
                }
            }
            catch (StructureNotPortedException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new ConformanceLineException(index + 1, e);
            }
        }

        return sawFirst ? memories.Underlying : throw new ConformanceLineException(1, new ConformanceFormatException("the file is empty"));
    }

    private static void ApplyFirst(ConformanceMemories memories, string[] words)
    {
        if (words is ["raw"])
        {
            return;
        }

        if (words is ["manager", "bucket_size", _])
        {
            memories.InitManager(BucketSize(words, 2));
            return;
        }

        throw new ConformanceFormatException($"the first line must be 'raw' or 'manager bucket_size N', not '{string.Join(' ', words)}'");
    }

    private static void Apply(ConformanceMemories memories, ConformanceContext context, IReadOnlyDictionary<string, IConformanceDriver> drivers, string[] words)
    {
        switch (words[0])
        {
            case "mem" when words.Length > 2 && words[2] == "grow":
                ConformanceLine.ExpectCount(words, 4, "mem ID grow PAGES");
                memories.Memory(words[1]).Grow(ConformanceLine.U64(words, 3, "page count"));
                break;
            case "mem" when words.Length > 2 && words[2] == "write":
                ConformanceLine.ExpectCount(words, 5, "mem ID write OFFSET HEX");
                memories.Memory(words[1]).Write(ConformanceLine.U64(words, 3, "offset"), ConformanceLine.Hex(words, 4, "data"));
                break;
            case "mem":
                throw new ConformanceFormatException("a mem line is 'mem ID grow PAGES' or 'mem ID write OFFSET HEX'");
            case "manager":
                if (words is not ["manager", "init", "bucket_size", _])
                {
                    throw new ConformanceFormatException("a later manager line is 'manager init bucket_size N'");
                }

                memories.InitManager(BucketSize(words, 3));
                break;
            default:
                if (!drivers.TryGetValue(words[0], out var driver))
                {
                    throw new StructureNotPortedException(words[0]);
                }

                driver.Apply(context, words);
                break;
        }
    }

    private static ushort BucketSize(string[] words, int index)
    {
        var size = ConformanceLine.U64(words, index, "bucket size");
        return size is >= 1 and <= ushort.MaxValue
            ? (ushort)size
            : throw new ConformanceFormatException($"bucket size {size} is outside 1–65535 pages");
    }
}
