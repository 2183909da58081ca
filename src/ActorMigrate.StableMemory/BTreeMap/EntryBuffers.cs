namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// A small ring of reusable byte arrays for the values of detached entries. An operation holds at
/// most two detached entries at once (a rotated entry and the parent entry it replaces, or a
/// predecessor and the entry it overwrites), so eight slots are never reused while still in use.
/// </summary>
internal sealed class EntryBuffers
{
    private readonly byte[][] slots = [new byte[64], new byte[64], new byte[64], new byte[64], new byte[64], new byte[64], new byte[64], new byte[64]];
    private int next;

    /// <summary>A copy of <paramref name="value"/> in the next slot.</summary>
    public byte[] Copy(ReadOnlySpan<byte> value)
    {
        var index = next;
        next = (next + 1) & 7;
        ref var slot = ref slots[index];
        if (slot.Length < value.Length)
        {
            slot = new byte[Math.Max(value.Length, slot.Length * 2)];
        }

        value.CopyTo(slot);
        return slot;
    }
}
