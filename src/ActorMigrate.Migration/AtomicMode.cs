namespace ActorMigrate.Migration;

/// <summary>Whether post_upgrade migrates everything at once (hocon <c>actormigrate.migration.atomic</c>).</summary>
public enum AtomicMode
{
    /// <summary>Always incremental.</summary>
    Never,

    /// <summary>Atomic when the projection fits the upgrade budget and dirty-page limit; otherwise incremental.</summary>
    WhenItFitsElseIncremental,

    /// <summary>Atomic when it fits; otherwise trap, so the upgrade fails cleanly and the old module stays.</summary>
    WhenItFitsElseFailUpgrade,
}
