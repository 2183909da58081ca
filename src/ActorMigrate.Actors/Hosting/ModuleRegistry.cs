using System.Collections.Concurrent;
using ActorMigrate.Canisters;

namespace ActorMigrate.Actors.Hosting;

/// <summary>
/// The modules a host can run, by name and version: what a recovered canister's durable metadata
/// names is found here again (a module is code, and code is not in the journal). Every module
/// installed through a subnet is added; a host that recovers must register the same modules first.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly ConcurrentDictionary<(string Name, int Version), CanisterModule> modules = new();

    public ModuleRegistry(params CanisterModule[] modules)
    {
        foreach (var module in modules)
        {
            Register(module);
        }
    }

    public ModuleRegistry Register(CanisterModule module)
    {
        modules[(module.Name, module.Version)] = module;
        return this;
    }

    public bool TryFind(string name, int version, out CanisterModule module) => modules.TryGetValue((name, version), out module!);

    public IEnumerable<CanisterModule> All => modules.Values;
}
