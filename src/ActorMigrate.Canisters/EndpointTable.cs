namespace ActorMigrate.Canisters;

/// <summary>The methods a module exports, declared once per module (a Wasm module's export section).</summary>
public sealed class EndpointTable
{
    private readonly Dictionary<string, Endpoint> endpoints = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Endpoint> All => endpoints.Values;

    public bool TryGet(string name, out Endpoint endpoint) => endpoints.TryGetValue(name, out endpoint!);

    /// <summary>An update method replying with a value.</summary>
    public EndpointTable Update<TArg, TReply>(string name, Func<Ic0, TArg, TReply> method) =>
        Add(new Endpoint(name, false, (ic, arg) => Outcome.Reply(method(ic, Decode<TArg>(name, arg)))));

    /// <summary>An update method that may await calls: it returns its <see cref="Outcome"/> itself.</summary>
    public EndpointTable UpdateAsync<TArg>(string name, Func<Ic0, TArg, Outcome> method) =>
        Add(new Endpoint(name, false, (ic, arg) => method(ic, Decode<TArg>(name, arg))));

    public EndpointTable Query<TArg, TReply>(string name, Func<Ic0, TArg, TReply> method) =>
        Add(new Endpoint(name, true, (ic, arg) => Outcome.Reply(method(ic, Decode<TArg>(name, arg)))));

    private EndpointTable Add(Endpoint endpoint)
    {
        if (!endpoints.TryAdd(endpoint.Name, endpoint))
        {
            throw new ArgumentException($"method '{endpoint.Name}' is declared twice");
        }

        return this;
    }

    /// <summary>Typed arguments stand in for Candid; a wrong type is a decoding panic in the canister.</summary>
    private static T Decode<T>(string method, object? arg) => arg switch
    {
        T value => value,
        null when default(T) is null => default!,
        _ => throw new ArgumentException(
            $"failed to decode the argument of '{method}': expected {typeof(T).Name}, got {arg?.GetType().Name ?? "null"}"),
    };
}
