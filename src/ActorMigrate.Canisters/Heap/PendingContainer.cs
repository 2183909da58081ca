using System.Security.Cryptography;

namespace ActorMigrate.Canisters;

/// <summary>
/// A container restored from a <see cref="HeapImage"/> that module code has not opened yet: its image
/// bytes, kept as they are until the first <c>Heap.Map/Cell/…</c> with the container's name decodes them
/// with the codecs the module passes (so recovery needs no registry of codecs). It is never changed,
/// only replaced by the opened container; meanwhile it can be imaged, cloned and digested as is.
/// </summary>
internal sealed class PendingContainer(string name, HeapContainerKind kind, long liveBytes, ReadOnlyMemory<byte> payload) : IHeapContainer
{
    public string Name { get; } = name;

    public HeapContainerKind Kind { get; } = kind;

    public long LiveBytes { get; } = liveBytes;

    /// <summary>The container's payload as <see cref="HeapImage"/> describes it for its kind.</summary>
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    void IHeapContainer.UndoLast() => throw new InvalidOperationException($"heap container '{Name}' was never opened, so it has no change to undo");

    void IHeapContainer.ForgetUndo()
    {
    }

    IHeapContainer IHeapContainer.CloneInto(Heap heap) => this; // immutable

    void IHeapContainer.WriteImage(HeapImageWriter writer) => writer.WriteRaw(Payload.Span);

    void IHeapContainer.ResetChanges(bool record)
    {
        // Never changed: opening replaces it with a container that records its own changes.
    }

    bool IHeapContainer.HasChanges => false;

    void IHeapContainer.WriteChanges(HeapImageWriter writer) =>
        throw new InvalidOperationException($"heap container '{Name}' was never opened, so it has no changes to write");

    /// <summary>The same digest the opened container gives (see each container's Digest): computed from the element bytes.</summary>
    void IHeapContainer.Digest(IncrementalHash hash)
    {
        var reader = new HeapImageReader(Payload.Span, $"heap image of container '{Name}'");
        switch (Kind)
        {
            case HeapContainerKind.Cell:
                hash.AppendData(reader.ReadElement("value"));
                break;
            case HeapContainerKind.Map:
            case HeapContainerKind.OrderedMap:
                var folded = new byte[32];
                for (var count = reader.ReadLeb128("entry count"); count > 0; count--)
                {
                    var key = reader.ReadElement("key");
                    HeapMapDigest.Fold(folded, key, reader.ReadElement("value"));
                }

                hash.AppendData(folded);
                break;
            case HeapContainerKind.Vector:
                for (var count = reader.ReadLeb128("item count"); count > 0; count--)
                {
                    hash.AppendData(reader.ReadElement("item"));
                }

                break;
        }
    }
}
