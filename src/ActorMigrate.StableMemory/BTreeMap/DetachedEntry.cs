namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>
/// An entry taken out of a node (a median, a rotated or merged entry): its key and encoded value. The
/// value lives in one of its map's <see cref="EntryBuffers"/>, so it is valid only until the buffers
/// come round again: it is consumed right away by the operation that detached it.
/// </summary>
internal readonly struct DetachedEntry<K>(K key, byte[] buffer, int length)
{
    public K Key { get; } = key;

    public ReadOnlySpan<byte> Value => buffer.AsSpan(0, length);
}
