namespace ActorMigrate.StableMemory.Conformance;

/// <summary>
/// Opens an image as it is (no replay) and compares each <c>.expect</c> section with what the structure
/// holds: <c>mem ID size P</c> directly, every other header through the driver whose keyword it starts with.
/// </summary>
internal static class ExpectCheck
{
    private const int MaxShown = 80;

    /// <summary>Null when every section matches; otherwise the first differing entry and its line.</summary>
    public static string? Run(byte[] image, IReadOnlyList<string> lines, IReadOnlyDictionary<string, IConformanceDriver> drivers)
    {
        var memories = new ConformanceMemories(SparseMemory.FromImage(image), loadManagerOnDemand: true);
        var context = new ConformanceContext(memories.Memory);
        var index = 0;
        while (index < lines.Count)
        {
            var header = ConformanceLine.Split(lines[index]);
            if (header.Length == 0)
            {
                index++;
                continue;
            }

            var headerLine = index + 1;
            int entries;
            IEnumerable<string> actual;
            try
            {
                entries = SectionLength(header);
                if (index + 1 + entries > lines.Count)
                {
                    throw new ConformanceFormatException($"the section promises {entries} entries, but the file ends after {lines.Count - index - 1}");
                }

                actual = Read(memories, context, drivers, header);
            }
            catch (StructureNotPortedException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new ConformanceLineException(headerLine, e);
            }

            var difference = FirstDifference(actual, lines, index, entries);
            if (difference is not null)
            {
                return difference;
            }

            index += 1 + entries;
        }

        return null;
    }

    /// <summary>Headers ending in <c>len N</c> are followed by N lines; the others stand alone.</summary>
    private static int SectionLength(string[] header)
    {
        if (header.Length >= 2 && header[^2] == "len")
        {
            var count = ConformanceLine.U64(header, header.Length - 1, "length");
            return count <= int.MaxValue ? (int)count : throw new ConformanceFormatException($"length {count} is too large");
        }

        return 0;
    }

    private static IEnumerable<string> Read(ConformanceMemories memories, ConformanceContext context, IReadOnlyDictionary<string, IConformanceDriver> drivers, string[] header)
    {
        if (header[0] == "mem")
        {
            if (header is not ["mem", _, "size", _])
            {
                throw new ConformanceFormatException("a mem section is 'mem ID size PAGES'");
            }

            return [$"mem {header[1]} size {memories.Memory(header[1]).Size}"];
        }

        return drivers.TryGetValue(header[0], out var driver)
            ? driver.Read(context, header)
            : throw new StructureNotPortedException(header[0]);
    }

    private static string? FirstDifference(IEnumerable<string> actual, IReadOnlyList<string> lines, int start, int entries)
    {
        var line = start;
        using var produced = actual.GetEnumerator();
        for (; line <= start + entries; line++)
        {
            bool has;
            try
            {
                has = produced.MoveNext();
            }
            catch (Exception e)
            {
                throw new ConformanceLineException(line + 1, e);
            }

            var expected = Normalize(lines[line]);
            if (!has)
            {
                return $"expect line {line + 1}: expected '{Shorten(expected)}', the structure holds no more entries";
            }

            var got = Normalize(produced.Current);
            if (got != expected)
            {
                return $"expect line {line + 1}: expected '{Shorten(expected)}', got '{Shorten(got)}'";
            }
        }

        return produced.MoveNext()
            ? $"expect line {line}: the section ends here, but the structure holds more, next '{Shorten(Normalize(produced.Current))}'"
            : null;
    }

    private static string Normalize(string line) => string.Join(' ', ConformanceLine.Split(line));

    private static string Shorten(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + $"… ({text.Length} characters)";
}
