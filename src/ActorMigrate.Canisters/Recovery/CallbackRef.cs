using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ActorMigrate.Canisters;

/// <summary>
/// A module callback (a timer's body, an awaited call's continuation) named so that a recovered
/// process can bind it again: the method's declaring type and name, and what it runs on — nothing
/// (a static method), the canister's module (a method of the module), or a compiler-made closure
/// object that captured nothing (a lambda such as <c>ic =&gt; Tick(ic)</c>). A lambda that captured
/// variables holds state no durable record keeps, so it has no reference (<see cref="TryCapture"/>).
/// </summary>
/// <remarks>Bound again in the same build of the module's assembly: compiler-generated lambda names are
/// stable within a build, not across source changes.</remarks>
public sealed record CallbackRef(string DeclaringType, string Method, CallbackTarget Target)
{
    private static readonly ConcurrentDictionary<Type, string?> CapturedState = new();

    /// <summary>The reference of <paramref name="callback"/>, or null with the reason it cannot be recovered.</summary>
    public static CallbackRef? TryCapture(Delegate callback, out string? whyNot)
    {
        whyNot = null;
        var method = callback.Method;
        var type = method.DeclaringType;
        if (callback.GetInvocationList().Length > 1)
        {
            whyNot = "it is a multicast delegate";
            return null;
        }

        if (type is null || type.ContainsGenericParameters || method.IsGenericMethod || type.IsGenericType)
        {
            whyNot = $"its method {method.Name} is generic or has no declaring type";
            return null;
        }

        var name = $"{type.FullName}, {type.Assembly.GetName().Name}";
        switch (callback.Target)
        {
            case null:
                return new CallbackRef(name, method.Name, CallbackTarget.Static);
            case CanisterModule:
                return new CallbackRef(name, method.Name, CallbackTarget.Module);
            case var target when CapturedState.GetOrAdd(target.GetType(), StateFields) is { } fields:
                whyNot = $"it is a closure ({type.Name}.{method.Name}) that captured {fields}";
                return null;
            default:
                return new CallbackRef(name, method.Name, CallbackTarget.StatelessClosure);
        }
    }

    /// <summary>The names of the instance fields <paramref name="type"/> holds, or null when it holds none.</summary>
    private static string? StateFields(Type type)
    {
        var fields = new List<string>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Select(f => f.Name));
        }

        return fields.Count == 0 ? null : string.Join(", ", fields);
    }

    /// <summary>A timer body again (a method taking <see cref="Ic0"/> and returning <see cref="Outcome"/> or nothing).</summary>
    /// <exception cref="CallbackBindException">The method is gone or does not fit.</exception>
    public Func<Ic0, Outcome> BindTimer(CanisterModule? module)
    {
        var (method, target) = Resolve(module, [typeof(Ic0)]);
        if (method.ReturnType == typeof(Outcome))
        {
            return method.CreateDelegate<Func<Ic0, Outcome>>(target);
        }

        var action = method.CreateDelegate<Action<Ic0>>(target);
        return ic =>
        {
            action(ic);
            return Outcome.Done;
        };
    }

    /// <summary>An awaited call's continuation again (a method taking <see cref="Ic0"/> and <see cref="CallResult"/>, returning <see cref="Outcome"/>).</summary>
    /// <exception cref="CallbackBindException">The method is gone or does not fit.</exception>
    public Func<Ic0, CallResult, Outcome> BindContinuation(CanisterModule? module)
    {
        var (method, target) = Resolve(module, [typeof(Ic0), typeof(CallResult)]);
        return method.ReturnType == typeof(Outcome)
            ? method.CreateDelegate<Func<Ic0, CallResult, Outcome>>(target)
            : throw new CallbackBindException($"{this}: {method.Name} returns {method.ReturnType.Name}, not Outcome");
    }

    private (MethodInfo Method, object? Target) Resolve(CanisterModule? module, Type[] parameters)
    {
        var type = Type.GetType(DeclaringType)
            ?? throw new CallbackBindException($"{this}: type {DeclaringType} is not loaded in this process");
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var method = type.GetMethod(Method, Any | (Target == CallbackTarget.Static ? BindingFlags.Static : BindingFlags.Instance), parameters)
            ?? throw new CallbackBindException($"{this}: {type.Name} has no method {Method}({string.Join(", ", parameters.Select(p => p.Name))})");
        object? target = Target switch
        {
            CallbackTarget.Static => null,
            CallbackTarget.Module when module is not null && type.IsInstanceOfType(module) => module,
            CallbackTarget.Module => throw new CallbackBindException(
                $"{this}: the canister's module is {(module is null ? "missing" : module.GetType().Name)}, not a {type.Name}"),
            _ => type.GetField("<>9", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null)
                ?? RuntimeHelpers.GetUninitializedObject(type),
        };
        return (method, target);
    }

    public override string ToString() => $"callback {DeclaringType}::{Method} ({Target})";
}
