using FsCheck;
using FsCheck.Fluent;

namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>Generators the structure properties share.</summary>
internal static class StructureGen
{
    /// <summary>Any u64, with the edges (0, 1, max) more likely than chance would make them.</summary>
    public static Gen<ulong> U64 { get; } =
        Gen.Frequency(
            (1, Gen.Elements(0UL, 1UL, ulong.MaxValue, (ulong)long.MaxValue)),
            (6, Gen.Two(Gen.Choose(int.MinValue, int.MaxValue)).Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2)));

    /// <summary>
    /// Byte strings of up to <paramref name="maxLength"/> bytes, mostly short. Built from a seed so that long
    /// strings cost one random draw, not one per byte.
    /// </summary>
    public static Gen<byte[]> Bytes(int maxLength) =>
        Gen.Frequency(
                (4, Gen.Choose(0, Math.Min(maxLength, 64))),
                (1, Gen.Choose(0, maxLength)),
                (1, Gen.Elements(0, maxLength)))
            .SelectMany(length => Gen.Choose(int.MinValue, int.MaxValue).Select(seed => Filled(length, seed)));

    private static byte[] Filled(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
