namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>How one end of a key range is bounded (Rust's <c>std::ops::Bound</c>).</summary>
public enum RangeBound
{
    Unbounded,
    Inclusive,
    Exclusive,
}
