using ActorMigrate.Canisters;
using ActorMigrate.Testing;

namespace ActorMigrate.Canisters.Tests;

/// <summary>Shared set-up: a harness with one installed canister, and a fingerprint of all its state.</summary>
internal static class Fixture
{
    public static (EngineHarness Ic, Principal Canister) Installed(CanisterModule? module = null, SubnetSettings? settings = null)
    {
        var ic = new EngineHarness(settings);
        var canister = ic.CreateAndInstall(module ?? new CounterModule());
        return (ic, canister);
    }

    /// <summary>Everything an execution could change: heap, stable memory, timers, version, module, queued calls.</summary>
    public static string Fingerprint(EngineHarness ic, Principal id)
    {
        var c = ic.Subnet[id];
        return string.Join("|",
            Convert.ToHexString(c.Heap.Digest()),
            c.Heap.SizeBytes,
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ic.StableMemoryImage(id))),
            string.Join(",", c.TimerTable.Keys),
            c.GlobalTimerNanos,
            c.Version,
            c.Module,
            c.OpenCallContexts,
            ic.Subnet.QueuedMessages);
    }

    public static ulong U64(this CallResult result) => (ulong)result.Unwrap()!;
}
