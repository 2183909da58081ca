using System.Text.RegularExpressions;
using ActorMigrate.Actors.Configuration;

namespace ActorMigrate.Scenarios.Loading;

/// <summary>
/// A scenario file's text, for messages: Akka's HOCON parser keeps no positions, so the line of a key is
/// found again in the text (its path's segments in order, list items counted by their opening braces).
/// </summary>
internal sealed partial class ScenarioText(string source, string text)
{
    private readonly string[] lines = text.Split('\n');

    public string Source => source;

    public ConfigurationException Error(string path, string key, string message)
    {
        var line = LineOf(path, key);
        return new ConfigurationException($"{source}: {(line > 0 ? $"line {line}: " : "")}{message}");
    }

    /// <summary>The 1-based line of <paramref name="key"/> inside <paramref name="path"/>, or 0 when it cannot be found.</summary>
    public int LineOf(string path, string key)
    {
        var from = 0;
        foreach (var segment in path.Split('.').Append(key))
        {
            var match = ListItem().Match(segment);
            var name = match.Success ? match.Groups[1].Value : segment;
            var at = Find(name, from);
            if (at < 0)
            {
                return 0;
            }

            from = at;
            if (match.Success)
            {
                // The n-th "{" after the list's key opens item n.
                var index = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                var depthOk = 0;
                for (var n = at; n < lines.Length; n++)
                {
                    var code = Code(lines[n]);
                    var opens = n == at ? code[(code.IndexOf('[') + 1)..] : code;
                    if (opens.TrimStart().StartsWith('{') && depthOk++ == index)
                    {
                        from = n;
                        break;
                    }
                }
            }
        }

        return from + 1;
    }

    private int Find(string name, int from)
    {
        var pattern = new Regex($@"(^|[\s{{,.]){Regex.Escape(name)}\s*(=|:|\{{|\[|\.)");
        for (var n = from; n < lines.Length; n++)
        {
            if (pattern.IsMatch(Code(lines[n])))
            {
                return n;
            }
        }

        return -1;
    }

    /// <summary>The key path written at 1-based <paramref name="line"/> (outer keys by the braces around it), or null.</summary>
    public string? KeyAt(int line)
    {
        var stack = new Stack<string>();
        for (var n = 0; n < Math.Min(line, lines.Length); n++)
        {
            var code = Code(lines[n]);
            var key = LeadingKey().Match(code);
            if (n == line - 1)
            {
                return key.Success ? string.Join('.', stack.Reverse().Where(k => k.Length > 0).Append(key.Groups[1].Value)) : null;
            }

            foreach (var c in code)
            {
                if (c == '{')
                {
                    stack.Push(key.Success ? key.Groups[1].Value : "");
                    key = Match.Empty;
                }
                else if (c == '}' && stack.Count > 0)
                {
                    stack.Pop();
                }
            }
        }

        return null;
    }

    private static string Code(string line)
    {
        var hash = line.IndexOf('#');
        var slashes = line.IndexOf("//", StringComparison.Ordinal);
        var cut = hash < 0 ? slashes : slashes < 0 ? hash : Math.Min(hash, slashes);
        return cut < 0 ? line : line[..cut];
    }

    [GeneratedRegex(@"^(.*)\[(\d+)\]$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^\s*([\w][\w.\-]*)\s*(=|:|\{)")]
    private static partial Regex LeadingKey();
}
