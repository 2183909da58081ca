namespace ActorMigrate.Actors.Subnet;

/// <summary>What a <see cref="CanisterDirectory"/> accepts and journals: which canisters a subnet has.</summary>
public interface ICanisterDirectoryMessage;

/// <summary>Journal a new canister, then tell <paramref name="ReplyTo"/> it was created.</summary>
public sealed record RegisterCanister(string CanisterId, string[] Controllers, Akka.Actor.IActorRef ReplyTo) : ICanisterDirectoryMessage;

/// <summary>The journal event: a canister was created (binary, <see cref="Durability.StableMemorySerializer"/> manifest "D").</summary>
public sealed record CanisterRegistered(string CanisterId, string[] Controllers) : ICanisterDirectoryMessage;

/// <summary>Asks for every registered canister once recovery is done; answered with <see cref="RegisteredCanisters"/>.</summary>
public sealed record GetRegisteredCanisters : ICanisterDirectoryMessage
{
    public static readonly GetRegisteredCanisters Instance = new();
}

public sealed record RegisteredCanisters(IReadOnlyList<CanisterRegistered> Canisters) : ICanisterDirectoryMessage;
