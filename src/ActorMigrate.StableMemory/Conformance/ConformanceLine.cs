using System.Globalization;

namespace ActorMigrate.StableMemory.Conformance;

/// <summary>Parsing of the words of an .ops or .expect line; a malformed word is a <see cref="ConformanceFormatException"/>.</summary>
public static class ConformanceLine
{
    public static string[] Split(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static ulong U64(IReadOnlyList<string> words, int index, string what) =>
        ulong.TryParse(Word(words, index, what), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConformanceFormatException($"{what} '{words[index]}' is not a decimal number");

    /// <summary>Lower-case hex, or <c>-</c> for empty.</summary>
    public static byte[] Hex(IReadOnlyList<string> words, int index, string what)
    {
        var word = Word(words, index, what);
        if (word == "-")
        {
            return [];
        }

        try
        {
            return Convert.FromHexString(word);
        }
        catch (FormatException)
        {
            throw new ConformanceFormatException($"{what} is not hex ({word.Length} characters starting '{word[..Math.Min(word.Length, 16)]}')");
        }
    }

    /// <summary>Bytes as the files write them: lower-case hex, <c>-</c> for empty.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "-" : Convert.ToHexStringLower(bytes);

    public static string Word(IReadOnlyList<string> words, int index, string what) =>
        index < words.Count ? words[index] : throw new ConformanceFormatException($"missing {what}");

    public static void ExpectCount(IReadOnlyList<string> words, int count, string shape)
    {
        if (words.Count != count)
        {
            throw new ConformanceFormatException($"expected '{shape}' ({count} words), got {words.Count} words");
        }
    }
}
