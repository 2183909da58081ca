namespace ActorMigrate.StableMemory;

/// <summary>Sizes the IC measures stable memory in.</summary>
public static class WasmPage
{
    /// <summary>One Wasm page: 64 KiB.</summary>
    public const ulong SizeInBytes = 65_536;

    /// <summary>The IC's stable memory limit: 500 GiB, in pages.</summary>
    public const ulong MaxStableMemoryPages = 500UL * 1024 * 1024 * 1024 / SizeInBytes;

    /// <summary>Bytes in <paramref name="pages"/> pages.</summary>
    public static ulong ToBytes(ulong pages) => pages * SizeInBytes;
}
