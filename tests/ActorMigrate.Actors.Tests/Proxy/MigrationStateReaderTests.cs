using ActorMigrate.Actors.Proxy;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Actors.Tests.Proxy;

/// <summary>
/// The ProxyActor's per-round read of the migration state keeps its loaded MemoryManager between rounds;
/// whatever happened to stable memory meanwhile, it must answer exactly what loading it afresh answers.
/// </summary>
public sealed class MigrationStateReaderTests
{
    private static MigrationState State(ulong epoch) => MigrationState.Initial with { Phase = MigrationPhase.Migrating, Epoch = epoch, Steps = epoch * 3 };

    /// <summary>What a step may do to a canister's stable memory between two reads.</summary>
    private static void Apply(int operation, ulong value, ref IMemory memory, IMemory other)
    {
        switch (operation)
        {
            case 0: // the migration state changes in place
                StableCell<MigrationState>.Init(MemoryManager.Init(memory).Get(StableLayout.MigrationStateMemory), MigrationStateCodec.Instance, State(0))
                    .Set(State(value));
                break;
            case 1: // another virtual memory grows: new buckets, a new bucket table
                MemoryManager.Init(memory).Get(StableLayout.RecordsMemory).Grow(1 + value % 200);
                break;
            case 2: // a raw layout over offset 0 (a downgrade to v1's pre_upgrade): no manager any more
                if (memory.Size == 0)
                {
                    memory.Grow(1);
                }

                memory.Write(0, BitConverter.GetBytes(value + 1));
                break;
            case 3: // wiped (reinstall): formatted again later, the cell's bucket is another one
                memory = new SparseMemory();
                break;
            case 4: // the canister's memory is swapped for another object (snapshot load, recovery)
                memory = other;
                break;
            default: // a fresh manager whose records memory takes the first buckets, then the state
                memory = new SparseMemory();
                MemoryManager.Init(memory).Get(StableLayout.RecordsMemory).Grow(value % 300);
                Apply(0, value, ref memory, other);
                break;
        }
    }

    [Fact]
    public void A_reformatted_memory_whose_state_moved_to_another_bucket_is_read_where_the_state_now_is()
    {
        var reader = new MigrationStateReader();
        IMemory memory = new SparseMemory();
        var other = new SparseMemory();
        Apply(0, 7, ref memory, other); // the state in the first bucket
        Assert.Equal(7UL, reader.Read(memory)!.Epoch);
        memory.Write(0, new byte[MemoryManagerLayout.MetadataLength]); // header and bucket table erased in place
        Assert.Null(reader.Read(memory));
        MemoryManager.Init(memory).Get(StableLayout.RecordsMemory).Grow(10); // records take bucket 0 this time
        Apply(0, 9, ref memory, other);
        Assert.Equal(9UL, reader.Read(memory)!.Epoch);
        Assert.Equal(IMigratingModule.ReadState(memory), reader.Read(memory));
    }

    [Property(MaxTest = 40)]
    public Property Any_sequence_of_stable_memory_changes_reads_as_a_fresh_load_reads() => Prop.ForAll(
        Gen.Choose(1, 25).SelectMany(count => Gen.ListOf(Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 1_000)), count)).ToArbitrary(),
        operations =>
        {
            var reader = new MigrationStateReader();
            IMemory memory = new SparseMemory();
            IMemory other = new SparseMemory();
            Apply(0, 1, ref other, other);
            foreach (var (operation, value) in operations)
            {
                Apply(operation, (ulong)value, ref memory, other);
                if (!Equals(IMigratingModule.ReadState(memory), reader.Read(memory)))
                {
                    return false;
                }
            }

            return true;
        });
}
