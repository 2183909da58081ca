using ActorMigrate.Canisters;
using ActorMigrate.Migration;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Accounts;

/// <summary>
/// v2: accounts still on the heap, stable memory under a MemoryManager. On upgrade from v1 it reads v1's
/// raw blob first (no "MGR" magic), then formats the manager over it: memory 0 the schema label, memory 1
/// the upgrade blob. It can read v3's stable map ("ship read compatibility first"), and its pre_upgrade
/// writes v1's raw layout after a controller called <c>set_upgrade_format</c> with 1.
/// </summary>
public class AccountsV2 : CanisterModule
{
    public const string UpgradeFormatCell = "upgrade_format";

    public override string Name => "accounts";

    public override int Version => 2;

    protected override void DeclareEndpoints(EndpointTable endpoints) => AccountEndpoints.Declare(endpoints, AccountsHeap.Open)
        .Update<uint, uint>("set_upgrade_format", (ic, format) =>
        {
            if (!ic.IsController(ic.Caller))
            {
                ic.Trap($"set_upgrade_format: caller {ic.Caller} is not a controller");
            }

            ic.Heap.Cell(UpgradeFormatCell, Storable.U32, 2u).Set(format);
            return format;
        });

    /// <summary>The virtual memory post_upgrade reads the upgrade blob from (the fuzzer's mutant reads the wrong one).</summary>
    protected virtual int UpgradeBlobMemoryToRead => StableLayout.UpgradeBlobMemory;

    public override void Init(Ic0 ic, object? arg)
    {
        SchemaLabel.Heap.Write(ic.VirtualMemory(StableLayout.Manager(ic), StableLayout.SchemaLabelMemory));
        if (arg is AccountsBulkLoad load)
        {
            var heap = AccountsHeap.Open(ic);
            for (var i = 0; i < load.Count; i++)
            {
                var account = AccountGenerator.Compact(i);
                heap.Insert(account.Principal, account);
            }
        }
    }

    public override void PreUpgrade(Ic0 ic)
    {
        if (ic.Heap.Cell(UpgradeFormatCell, Storable.U32, 2u).Get() == 1)
        {
            AccountsHeap.WriteRawV1(ic);
            return;
        }

        var manager = StableLayout.Manager(ic);
        new UpgradeBlob(2, 0, AccountsHeap.Open(ic).Map.Serialize()).Write(ic.VirtualMemory(manager, StableLayout.UpgradeBlobMemory));
        SchemaLabel.Heap.Write(ic.VirtualMemory(manager, StableLayout.SchemaLabelMemory));
    }

    public override void PostUpgrade(Ic0 ic, object? arg)
    {
        AccountsHeap.TryReadRawV1(ic);
        var manager = StableLayout.Manager(ic);
        var labelMemory = ic.VirtualMemory(manager, StableLayout.SchemaLabelMemory);
        var blobMemory = ic.VirtualMemory(manager, UpgradeBlobMemoryToRead);
        var heap = AccountsHeap.Open(ic);
        if (SchemaLabel.Read(labelMemory) == SchemaLabel.Stable)
        {
            // Read compatibility: v3 left its accounts in the stable map; bring them to the heap.
            var stable = StableStore<string, Account>.Open(ic, manager, StableLayout.RecordsMemory, AccountCodec.Keys, AccountCodec.Instance);
            foreach (var (key, account) in stable.Entries())
            {
                heap.Insert(key, account);
            }
        }

        // The blob: all accounts, or — next to a "STBL" label — v3's heap half of a migration in
        // progress (pointer-routed: the keys not in the stable map; dual-write: copies equal to them).
        if (UpgradeBlob.Read(blobMemory) is { } blob)
        {
            heap.Map.Deserialize(blob.Bytes);
        }

        UpgradeBlob.Consume(blobMemory);
        SchemaLabel.Heap.Write(labelMemory);
    }
}
