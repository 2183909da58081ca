namespace ActorMigrate.StableMemory.Tests.MemoryManager;

/// <summary>What the property does to the virtual memories; every offset is chosen near a page boundary.</summary>
public enum VirtualMemoryOpKind
{
    Grow,
    Write,
    Read,
    Reload,
}

public sealed record VirtualMemoryOp(VirtualMemoryOpKind Kind, int MemoryId, ulong Offset, int Length, byte Seed)
{
    /// <summary>The bytes a write puts down: distinct per write, cheap to generate.</summary>
    public byte[] Data()
    {
        var data = new byte[Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(Seed + i * 31 + (i >> 8));
        }

        return data;
    }

    public override string ToString() => Kind switch
    {
        VirtualMemoryOpKind.Grow => $"mem {MemoryId} grow {Length}",
        VirtualMemoryOpKind.Write => $"mem {MemoryId} write {Offset} ({Length} bytes)",
        VirtualMemoryOpKind.Read => $"mem {MemoryId} read {Offset} ({Length} bytes)",
        _ => "reload",
    };
}

/// <summary>The model: each virtual memory is a plain byte array of its size.</summary>
public sealed class VirtualMemoryModel
{
    private readonly Dictionary<int, byte[]> memories = [];

    public byte[] Of(int id) => memories.TryGetValue(id, out var bytes) ? bytes : [];

    public long Grow(int id, int pages)
    {
        var old = Of(id);
        var grown = new byte[old.Length + pages * 65_536];
        old.CopyTo(grown, 0);
        memories[id] = grown;
        return old.Length / 65_536;
    }

    public bool InBounds(int id, ulong offset, int length) => offset + (ulong)length <= (ulong)Of(id).Length;
}
