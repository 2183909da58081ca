using ActorMigrate.StableMemory;

namespace ActorMigrate.Actors.Durability;

/// <summary>
/// What a <see cref="StableMemoryActor"/> accepts and answers. The actor holds one canister's durable
/// state; its parent (the CanisterActor) sends it one <see cref="PersistRound"/> per round in which the
/// canister committed something and asks for <see cref="GetDurableState"/> when it starts.
/// </summary>
public interface IStableMemoryMessage;

/// <summary>
/// One 4 KiB page of stable memory as it stands after the round: its index (byte offset / 4096) and
/// exactly <see cref="PageSize"/> bytes.
/// </summary>
public sealed record PageDelta(ulong PageIndex, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The unit of dirtiness on the IC: an OS page of 4 KiB.</summary>
    public const int PageSize = 4096;
}

/// <summary>
/// Make a round durable: the stable pages it dirtied, the canister's metadata after it and, when the
/// heap changed, its heap image (a new heap instance) or its heap delta (the same instance changed). All of it becomes one journal event, so a crash keeps either
/// the whole round or none of it. Answered with <see cref="RoundDurable"/> once the event is written,
/// or <see cref="RoundNotDurable"/>.
/// </summary>
/// <param name="Round">Greater than the last durable round; or equal to it for a write <paramref name="BetweenRounds"/>.</param>
/// <param name="StableMemorySizeInPages">Stable memory size after the round, in 64 KiB Wasm pages (a grow
/// without writes must be durable too).</param>
/// <param name="DirtyPages">Every 4 KiB page the round changed, with its full new content.</param>
/// <param name="Metadata">The canister's metadata after the round (opaque; replaces the previous one).</param>
/// <param name="HeapImage">A new heap image (opaque), or null to keep the last durable one. Beware: a null
/// <c>byte[]</c> converts to an EMPTY image, not to null, and so does <c>c ? image : null</c> (its type is the
/// non-nullable struct); write <c>c ? image : (ReadOnlyMemory&lt;byte&gt;?)null</c>.</param>
/// <param name="StableMemoryReset">True when the round wiped stable memory first (reinstall,
/// uninstall): the pages before it are dropped, then <paramref name="DirtyPages"/> are applied.</param>
/// <param name="HeapDelta">What the heap changed since the last durable heap image or delta
/// (<c>Heap.TakeDeltaImage</c>, layout in <c>HeapImageDelta</c>), or null; never together with <paramref name="HeapImage"/>.
/// Refused when no heap image is durable yet.</param>
/// <param name="BetweenRounds">What a management operation (stop, start, uninstall, snapshot load) changed
/// after round <paramref name="Round"/>, before the next: it follows that round's own event, if any.</param>
public sealed record PersistRound(
    long Round,
    ulong StableMemorySizeInPages,
    IReadOnlyList<PageDelta> DirtyPages,
    ReadOnlyMemory<byte> Metadata,
    ReadOnlyMemory<byte>? HeapImage = null,
    bool StableMemoryReset = false,
    ReadOnlyMemory<byte>? HeapDelta = null,
    bool BetweenRounds = false) : IStableMemoryMessage
{
    /// <summary>
    /// Set by a sender that built every buffer of this message for it alone and never touches them again
    /// (the CanisterActor's fresh page copies, metadata and heap bytes): the event then holds them as they
    /// are instead of copying them once more. Others' buffers are copied (they may be reused).
    /// </summary>
    internal bool BuffersHandedOver { get; init; }
}

/// <summary>The round is in the journal: a crash from now on recovers it.</summary>
public sealed record RoundDurable(long Round) : IStableMemoryMessage;

/// <summary>
/// The round was not written and nothing of it is visible in the durable state. When the reason is a
/// journal failure or rejection the actor has stopped and reported <see cref="StableMemoryFailed"/>;
/// when the request itself was invalid (a round not after the last one, a page out of bounds) the
/// actor goes on.
/// </summary>
public sealed record RoundNotDurable(long Round, string Reason) : IStableMemoryMessage;

/// <summary>Asks for the durable state; answered with <see cref="DurableState"/> once recovery is done.</summary>
public sealed record GetDurableState : IStableMemoryMessage
{
    public static readonly GetDurableState Instance = new();
}

/// <summary>
/// The canister's durable state as of <paramref name="LastDurableRound"/> (null before the first).
/// <paramref name="StableMemory"/> is a fresh copy the receiver owns.
/// </summary>
public sealed record DurableState(
    string CanisterId,
    long? LastDurableRound,
    IMemory StableMemory,
    ReadOnlyMemory<byte> Metadata,
    ReadOnlyMemory<byte>? HeapImage) : IStableMemoryMessage;

/// <summary>
/// The actor could not keep the canister durable (a write failed or was rejected, recovery failed, a
/// checkpoint could not be read) and has stopped. Sent to its parent and published on the EventStream.
/// Requests queued behind the failed one are not answered; the parent fails them.
/// </summary>
public sealed record StableMemoryFailed(string CanisterId, string Reason, long? Round) : IStableMemoryMessage;
