namespace ActorMigrate.StableMemory.BTreeMap;

/// <summary>An entry taken out of a node (a median, a rotated or merged entry): its key and encoded value.</summary>
internal readonly record struct DetachedEntry<K>(K Key, byte[] Value);
