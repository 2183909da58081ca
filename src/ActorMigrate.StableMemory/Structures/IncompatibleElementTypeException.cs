namespace ActorMigrate.StableMemory;

/// <summary>
/// A vector-like structure (StableVec, StableMinHeap) was opened with an element codec whose bound differs
/// from the one recorded in its header: its slots would be read at the wrong size, so it is refused
/// (the Rust library's <c>InitError::IncompatibleElementType</c>).
/// </summary>
public sealed class IncompatibleElementTypeException(string message) : StableMemoryException(message);
