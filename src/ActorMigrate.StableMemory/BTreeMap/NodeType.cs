namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>The node type byte of both node layouts.</summary>
internal enum NodeType : byte
{
    Leaf = 0,
    Internal = 1,
}
