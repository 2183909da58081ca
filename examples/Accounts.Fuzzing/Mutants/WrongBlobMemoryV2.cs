using ActorMigrate.Migration;

namespace ActorMigrate.Examples.Accounts.Fuzzing.Mutants;

/// <summary>Mutant 4: v2 reads the upgrade blob from the wrong virtual memory (the migration state's, 3, instead of 1).</summary>
public sealed class WrongBlobMemoryV2 : AccountsV2
{
    protected override int UpgradeBlobMemoryToRead => StableLayout.MigrationStateMemory;
}
