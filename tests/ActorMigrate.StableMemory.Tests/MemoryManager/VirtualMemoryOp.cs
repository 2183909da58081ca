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
