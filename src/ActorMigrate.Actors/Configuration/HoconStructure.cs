namespace ActorMigrate.Actors.Configuration;

/// <summary>
/// Structural checks Akka's HOCON parser does not make: it silently accepts an unclosed brace, an
/// unterminated string or a key without a value (dropping settings), and loops forever on an unclosed
/// array. Run before parsing, they turn such a file into an error naming the line.
/// </summary>
internal static class HoconStructure
{
    /// <summary>The first structural error as "line N: what", or null.</summary>
    public static string? FindError(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var lines = text.Split('\n');
        var expectingValueSince = 0;
        for (var n = 1; n <= lines.Length; n++)
        {
            var line = lines[n - 1];
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '#' || (c == '/' && i + 1 < line.Length && line[i + 1] == '/'))
                {
                    break; // comment to the end of the line
                }

                if (c is ' ' or '\t' or '\r')
                {
                    continue;
                }

                if (expectingValueSince > 0 && c is '}' or ']' or ',')
                {
                    return $"line {expectingValueSince}: a key with '=' or ':' but no value";
                }

                expectingValueSince = 0;
                switch (c)
                {
                    case '"' when line.AsSpan(i).StartsWith("\"\"\""):
                        var end = text.IndexOf("\"\"\"", Offset(lines, n - 1) + i + 3, StringComparison.Ordinal);
                        if (end < 0)
                        {
                            return $"line {n}: a \"\"\" string that is never closed";
                        }

                        // Skip to the line and column after the closing quotes.
                        var skipped = text.AsSpan(Offset(lines, n - 1) + i, end + 3 - (Offset(lines, n - 1) + i));
                        var newlines = skipped.Count('\n');
                        if (newlines > 0)
                        {
                            n += newlines;
                            line = lines[n - 1];
                            i = skipped.Length - skipped.LastIndexOf('\n') - 2;
                        }
                        else
                        {
                            i += skipped.Length - 1;
                        }

                        break;
                    case '"':
                        var close = IndexOfClosingQuote(line, i + 1);
                        if (close < 0)
                        {
                            return $"line {n}: a string that is not closed on its line";
                        }

                        i = close;
                        break;
                    case '{' or '[':
                        open.Push((c, n));
                        break;
                    case '}' or ']':
                        var expected = c == '}' ? '{' : '[';
                        if (open.Count == 0)
                        {
                            return $"line {n}: '{c}' closes nothing";
                        }

                        var (bracket, openedAt) = open.Pop();
                        if (bracket != expected)
                        {
                            return $"line {n}: '{c}' closes the '{bracket}' opened on line {openedAt}";
                        }

                        break;
                    case '=' or ':':
                        expectingValueSince = n;
                        break;
                }
            }

            if (expectingValueSince > 0 && open.Count > 0 && open.Peek().Bracket == '[')
            {
                expectingValueSince = 0; // inside an array a value may follow on the next line
            }
        }

        if (expectingValueSince > 0)
        {
            return $"line {expectingValueSince}: a key with '=' or ':' but no value";
        }

        return open.Count > 0 ? $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed" : null;
    }

    private static int IndexOfClosingQuote(string line, int from)
    {
        for (var i = from; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static int Offset(string[] lines, int lineIndex)
    {
        var offset = 0;
        for (var i = 0; i < lineIndex; i++)
        {
            offset += lines[i].Length + 1;
        }

        return offset;
    }
}
