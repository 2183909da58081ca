namespace ActorMigrate.Canisters;

/// <summary>The kind of a heap container, as a <see cref="HeapImage"/> records it (one byte).</summary>
public enum HeapContainerKind : byte
{
    Cell = 1,
    Map = 2,
    OrderedMap = 3,
    Vector = 4,
}
