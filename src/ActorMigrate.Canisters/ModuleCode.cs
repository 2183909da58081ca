using System.Collections.Concurrent;
using System.Reflection;

namespace ActorMigrate.Canisters;

/// <summary>
/// What the engine learns about a module type by reflection, once per type: which hooks it exports,
/// and that it holds no state of its own. A field that could hold state (writable, or of a mutable
/// type) is a design error: that state would survive upgrades and traps, which Wasm heap state never does.
/// </summary>
internal sealed record ModuleCode(bool HasHeartbeat, bool HasGlobalTimer, bool HasOnLowWasmMemory)
{
    private static readonly ConcurrentDictionary<Type, ModuleCode> Known = new();

    public static ModuleCode Of(CanisterModule module) => Known.GetOrAdd(module.GetType(), Inspect);

    private static ModuleCode Inspect(Type type)
    {
        CheckStateless(type);
        return new ModuleCode(
            Overrides(type, nameof(CanisterModule.Heartbeat)),
            Overrides(type, nameof(CanisterModule.GlobalTimer)),
            Overrides(type, nameof(CanisterModule.OnLowWasmMemory)));
    }

    private static bool Overrides(Type type, string method) =>
        type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!.DeclaringType != typeof(CanisterModule);

    private static void CheckStateless(Type type)
    {
        for (var t = type; t is not null && t != typeof(CanisterModule); t = t.BaseType)
        {
            const BindingFlags All = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var field in t.GetFields(All))
            {
                if (field.IsLiteral)
                {
                    continue;
                }

                if (!field.IsInitOnly || !IsCode(field.FieldType))
                {
                    throw new ModuleStateException(
                        $"module {type.Name} holds state in field '{field.Name}' ({field.FieldType.Name}{(field.IsInitOnly ? "" : ", writable")}): " +
                        "heap state must live in heap containers (ic.Heap) or stable memory");
                }
            }
        }
    }

    /// <summary>Types that are code or immutable values: safe to share between canisters and upgrades.</summary>
    private static bool IsCode(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) ||
        type == typeof(Principal) || type == typeof(TimeSpan) || typeof(Delegate).IsAssignableFrom(type) ||
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(StableMemory.IStorable<>)) ||
        (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(StableMemory.IStorable<>));
}

/// <summary>A module that keeps state in its own fields, which the IC's execution model cannot have.</summary>
public sealed class ModuleStateException(string message) : Exception(message);
