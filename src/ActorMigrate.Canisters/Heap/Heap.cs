using System.Security.Cryptography;
using System.Text;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters;

/// <summary>
/// A canister's Wasm heap: its named containers and its size. The size is a high-water mark of the
/// bytes the containers have held — like a Wasm memory it never shrinks, so data held twice during a
/// migration stays counted. Discarded on upgrade; one instance per installed module.
/// </summary>
/// <remarks>
/// Containers may change only inside an execution (the engine attaches a meter); reads outside one,
/// by tests and the harness, are free. The undo log lists the container of each change in order.
/// </remarks>
public sealed class Heap
{
    private readonly Dictionary<string, IHeapContainer> containers = new(StringComparer.Ordinal);
    private readonly List<string> creationOrder = [];
    private readonly List<IHeapContainer?> undoLog = []; // null: a container creation
    private readonly HeapLocals locals = new();
    private long liveBytes;

    internal IHeapMeter? Meter { get; set; }

    /// <summary>The heap size in bytes: the most its containers ever held.</summary>
    public long SizeBytes { get; private set; }

    /// <summary>Bytes the containers hold now.</summary>
    public long LiveBytes => liveBytes;

    /// <summary>Bytes written into containers since the last <see cref="TakeDelta"/> (per-round delta limit).</summary>
    internal long DeltaBytes { get; private set; }

    public IReadOnlyList<string> ContainerNames => creationOrder;

    /// <summary>The unordered map named <paramref name="name"/>, created empty on first use.</summary>
    public HeapMap<TKey, TValue> Map<TKey, TValue>(string name, StableMemory.IStorable<TKey> keys, StableMemory.IStorable<TValue> values)
        where TKey : notnull =>
        Get(name, HeapContainerKind.Map, () => new HeapMap<TKey, TValue>(this, name, keys, values), image => HeapMap<TKey, TValue>.Open(this, image, keys, values));

    /// <summary>The ordered map named <paramref name="name"/>, created empty on first use.</summary>
    public HeapOrderedMap<TKey, TValue> OrderedMap<TKey, TValue>(string name, StableMemory.IStorable<TKey> keys, StableMemory.IStorable<TValue> values) =>
        Get(name, HeapContainerKind.OrderedMap, () => new HeapOrderedMap<TKey, TValue>(this, name, keys, values), image => HeapOrderedMap<TKey, TValue>.Open(this, image, keys, values));

    /// <summary>The cell named <paramref name="name"/>, holding <paramref name="initial"/> on first use.</summary>
    public HeapCell<T> Cell<T>(string name, StableMemory.IStorable<T> codec, T initial) =>
        Get(name, HeapContainerKind.Cell, () => new HeapCell<T>(this, name, codec, initial), image => HeapCell<T>.Open(this, image, codec));

    /// <summary>The vector named <paramref name="name"/>, created empty on first use.</summary>
    public HeapVector<T> Vector<T>(string name, StableMemory.IStorable<T> codec) =>
        Get(name, HeapContainerKind.Vector, () => new HeapVector<T>(this, name, codec), image => HeapVector<T>.Open(this, image, codec));

    /// <summary>
    /// The module instance's value named <paramref name="name"/> — a Rust <c>thread_local!</c>: created by
    /// <paramref name="init"/> (and charged) on first use, then kept across executions until the module is
    /// upgraded or reinstalled. For handles derived from stable memory and heap containers (an opened
    /// MemoryManager, a StableBTreeMap, a proxy), which it would be wasteful to reopen in every execution.
    /// Not part of the heap image or a snapshot; after a rollback it is rebuilt as <see cref="HeapLocals"/> explains.
    /// </summary>
    public T Local<T>(string name, Func<T> init)
        where T : class => locals.Get(name, init, Meter);

    /// <summary>The running execution rolled back (see <see cref="HeapLocals.Rollback"/>).</summary>
    internal void RollbackLocals(bool mayHaveChanged) => locals.Rollback(mayHaveChanged);

    /// <summary>Undo entries recorded so far (whether an execution changed the heap).</summary>
    internal int UndoLength => undoLog.Count;

    private TContainer Get<TContainer>(string name, HeapContainerKind kind, Func<TContainer> create, Func<PendingContainer, TContainer> open)
        where TContainer : class, IHeapContainer
    {
        if (containers.TryGetValue(name, out var existing))
        {
            if (existing is PendingContainer image)
            {
                // Restored from an image: decoded now with the codecs the module passes. Opening is not
                // a change (same content, same bytes), so it is neither charged nor undone.
                if (image.Kind != kind)
                {
                    throw new InvalidOperationException($"heap container '{name}' is a {image.Kind} in the restored heap image, not a {kind}");
                }

                var opened = open(image);
                containers[name] = opened;
                if (tracksChanges)
                {
                    opened.ResetChanges(record: true);
                }

                return opened;
            }

            return existing as TContainer ?? throw new InvalidOperationException(
                $"heap container '{name}' is a {existing.GetType().Name}, not a {typeof(TContainer).Name}");
        }

        RequireExecution(name);
        var created = create();
        containers.Add(name, created);
        creationOrder.Add(name);
        undoLog.Add(null);
        if (tracksChanges)
        {
            createdSinceDelta.Add(created); // the next delta writes it whole
        }

        return created;
    }

    internal void RequireExecution(string container)
    {
        if (Meter is null)
        {
            throw new InvalidOperationException($"heap container '{container}' can only change inside an execution");
        }
    }

    /// <summary>Charges the running execution for one container operation.</summary>
    internal void Charge(long instructions) => Meter?.Charge(instructions);

    internal CostModel Costs => Meter?.Costs ?? DefaultCosts;

    private static readonly CostModel DefaultCosts = new();

    /// <summary>Records a change of <paramref name="container"/> holding <paramref name="bytesDelta"/> more bytes, <paramref name="bytesWritten"/> of them new.</summary>
    internal void Changed(IHeapContainer container, long bytesDelta, long bytesWritten)
    {
        undoLog.Add(container);
        DeltaBytes += bytesWritten;
        Resize(bytesDelta);
    }

    /// <summary>Encodes a container's entries (<see cref="HeapSerialization"/>), charged per output byte.</summary>
    internal byte[] Serialize<K, V>(IReadOnlyCollection<KeyValuePair<K, V>> entries, IStorable<K> keys, IStorable<V> values)
    {
        var bytes = HeapSerialization.Encode(entries, keys, values);
        ChargeSerialization(bytes.Length);
        return bytes;
    }

    /// <summary>Decodes a <see cref="Serialize"/>d blob, charged per input byte; the caller inserts the entries.</summary>
    internal List<KeyValuePair<K, V>> Deserialize<K, V>(ReadOnlySpan<byte> bytes, IStorable<K> keys, IStorable<V> values)
    {
        ChargeSerialization(bytes.Length);
        return HeapSerialization.Decode(bytes, keys, values);
    }

    /// <summary>Charges serializing or decoding <paramref name="bytes"/> and holds them on the heap meanwhile.</summary>
    internal void ChargeSerialization(long bytes)
    {
        RequireExecution("serialization");
        Charge(Costs.SerializeInstructionsPerByte * bytes);
        HoldTemporarily(bytes);
    }

    /// <summary>Memory held briefly (a serialized blob): counts towards the high-water mark only.</summary>
    internal void HoldTemporarily(long bytes)
    {
        Resize(bytes);
        liveBytes -= bytes;
    }

    private void Resize(long bytesDelta)
    {
        liveBytes += bytesDelta;
        if (liveBytes > SizeBytes)
        {
            SizeBytes = liveBytes;
            Meter?.OnHeapGrown(SizeBytes);
        }
    }

    internal readonly record struct Mark(int UndoLength, long LiveBytes, long SizeBytes, long DeltaBytes);

    internal Mark Begin() => new(undoLog.Count, liveBytes, SizeBytes, DeltaBytes);

    /// <summary>Undoes every change since <paramref name="mark"/>, newest first.</summary>
    internal void RollbackTo(Mark mark)
    {
        for (var i = undoLog.Count - 1; i >= mark.UndoLength; i--)
        {
            var container = undoLog[i];
            if (container is null)
            {
                var name = creationOrder[^1];
                creationOrder.RemoveAt(creationOrder.Count - 1);
                containers.Remove(name);
            }
            else
            {
                container.UndoLast();
            }
        }

        undoLog.RemoveRange(mark.UndoLength, undoLog.Count - mark.UndoLength);
        liveBytes = mark.LiveBytes;
        SizeBytes = mark.SizeBytes;
        DeltaBytes = mark.DeltaBytes;
    }

    /// <summary>Committed executions that changed a container (a host persists the heap when it moved).</summary>
    public long CommittedChanges { get; private set; }

    internal void Commit()
    {
        locals.Commit();
        if (undoLog.Count == 0)
        {
            return;
        }

        CommittedChanges++;

        foreach (var container in containers.Values)
        {
            container.ForgetUndo();
        }

        undoLog.Clear();
    }

    internal long TakeDelta()
    {
        var delta = DeltaBytes;
        DeltaBytes = 0;
        return delta;
    }

    // Change tracking for a durable host's per-round deltas: off on a bare engine, where it costs nothing.
    private bool tracksChanges;
    private readonly List<IHeapContainer> createdSinceDelta = [];

    /// <summary>Whether <see cref="TrackChanges"/> was called: containers record what changes for <see cref="TakeDeltaImage"/>.</summary>
    public bool TracksChanges => tracksChanges;

    /// <summary>
    /// From now on every container records what changes (map keys, vector indices and length, a cell's
    /// value; a container created since is written whole), so <see cref="TakeDeltaImage"/> can write only
    /// that. The host persists <see cref="ToImage"/> when it calls this; deltas follow that image.
    /// </summary>
    public void TrackChanges()
    {
        tracksChanges = true;
        createdSinceDelta.Clear();
        foreach (var container in containers.Values)
        {
            container.ResetChanges(record: true);
        }
    }

    /// <summary>
    /// What changed since <see cref="TrackChanges"/> or the last delta, as a <see cref="HeapImageDelta"/>
    /// (merged into the image without codecs by <see cref="HeapImageDelta.Apply"/>), and starts the next delta.
    /// </summary>
    public byte[] TakeDeltaImage()
    {
        if (Meter is not null)
        {
            throw new InvalidOperationException("a heap delta can only be taken between executions");
        }

        if (!tracksChanges)
        {
            throw new InvalidOperationException("this heap does not track changes (call TrackChanges when its image is persisted)");
        }

        var created = new HashSet<IHeapContainer>(createdSinceDelta, ReferenceEqualityComparer.Instance);
        var changed = creationOrder.Select(name => containers[name]).Where(c => created.Contains(c) || c.HasChanges).ToList();
        var delta = HeapImageDelta.Write(SizeBytes, liveBytes, changed, created.Contains);
        foreach (var container in changed)
        {
            container.ResetChanges(record: true);
        }

        createdSinceDelta.Clear();
        return delta;
    }

    /// <summary>A deep copy (for snapshots); its size is this heap's size.</summary>
    internal Heap Clone()
    {
        var copy = new Heap { SizeBytes = SizeBytes, liveBytes = liveBytes };
        foreach (var name in creationOrder)
        {
            copy.containers.Add(name, containers[name].CloneInto(copy));
            copy.creationOrder.Add(name);
        }

        return copy;
    }

    /// <summary>The heap as bytes (<see cref="HeapImage"/>): every container with its codecs' bytes, and the size accounting.</summary>
    public byte[] ToImage()
    {
        if (Meter is not null)
        {
            throw new InvalidOperationException("a heap can only be imaged between executions");
        }

        return HeapImage.Write(SizeBytes, liveBytes, creationOrder.Select(name => containers[name]));
    }

    /// <summary>
    /// A heap as <paramref name="image"/> recorded it. Its containers keep their image bytes until module
    /// code opens them with its codecs; sizes, digest and a new image are right before that.
    /// </summary>
    /// <exception cref="CorruptMemoryException">The bytes are not a heap image.</exception>
    public static Heap FromImage(ReadOnlyMemory<byte> image)
    {
        var (sizeBytes, liveBytes, restored) = HeapImage.Read(image);
        var heap = new Heap { SizeBytes = sizeBytes, liveBytes = liveBytes };
        foreach (var container in restored)
        {
            if (!heap.containers.TryAdd(container.Name, container))
            {
                throw new CorruptMemoryException($"heap image names container '{container.Name}' twice");
            }

            heap.creationOrder.Add(container.Name);
        }

        return heap;
    }

    /// <summary>A digest of every container's content and the heap size.</summary>
    public byte[] Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(SizeBytes));
        foreach (var name in creationOrder)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            containers[name].Digest(hash);
        }

        return hash.GetHashAndReset();
    }
}
