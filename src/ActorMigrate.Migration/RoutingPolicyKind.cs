namespace ActorMigrate.Migration;

/// <summary>The built-in routing policies, by the byte the migration state stores for them.</summary>
public enum RoutingPolicyKind : byte
{
    /// <summary>The NNS dapp's: reads from the source store, writes to it and, for migrated keys, to the target too.</summary>
    DualWrite = 0,

    /// <summary>Keys at or below the pointer live only in the target store; a step moves records.</summary>
    PointerRouted = 1,
}
