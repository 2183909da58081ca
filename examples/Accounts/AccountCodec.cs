using System.Buffers.Binary;
using System.Text;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Examples.Accounts;

/// <summary>The encoding of an <see cref="Account"/> (the value of every store version).</summary>
/// <remarks>
/// Layout (little-endian); a string is a u16 length then UTF-8 bytes:
/// | field                         | encoding                                  |
/// |-------------------------------|-------------------------------------------|
/// | principal                     | string                                    |
/// | created at (ns)               | u64                                       |
/// | sub-accounts                  | u16 count, then (name, account id) strings |
/// | hardware wallets              | u16 count, then (name, principal) strings  |
/// | canisters                     | u16 count, then (name, canister id) strings |
/// </remarks>
public sealed class AccountCodec : IStorable<Account>
{
    public static AccountCodec Instance { get; } = new();

    /// <summary>Keys: the principal's text, ordered by its UTF-8 bytes.</summary>
    public static IStorable<string> Keys => Storable.String;

    public StorableBound Bound => StorableBound.Unbounded;

    public int Compare(Account? x, Account? y) => string.CompareOrdinal(x?.Principal, y?.Principal);

    private static int Str(string s) => 2 + Encoding.UTF8.GetByteCount(s);

    public int SizeOf(Account a)
    {
        // Loops over the lists' indexers: this runs for every metered heap access, so no enumerators or delegates.
        var size = Str(a.Principal) + 8 + 6;
        for (var i = 0; i < a.SubAccounts.Count; i++)
        {
            size += Str(a.SubAccounts[i].Name) + Str(a.SubAccounts[i].AccountIdentifier);
        }

        for (var i = 0; i < a.HardwareWallets.Count; i++)
        {
            size += Str(a.HardwareWallets[i].Name) + Str(a.HardwareWallets[i].Principal);
        }

        for (var i = 0; i < a.Canisters.Count; i++)
        {
            size += Str(a.Canisters[i].Name) + Str(a.Canisters[i].CanisterId);
        }

        return size;
    }

    public void Write(Account a, Span<byte> destination)
    {
        var p = 0;
        void S(string s, Span<byte> d)
        {
            var n = Encoding.UTF8.GetBytes(s, d[(p + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(d[p..], checked((ushort)n));
            p += 2 + n;
        }

        void U16(int v, Span<byte> d)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d[p..], checked((ushort)v));
            p += 2;
        }

        S(a.Principal, destination);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[p..], a.CreatedAtNanos);
        p += 8;
        // Indexers, not foreach: a foreach over an IReadOnlyList boxes an enumerator, three per record written.
        U16(a.SubAccounts.Count, destination);
        for (var i = 0; i < a.SubAccounts.Count; i++)
        {
            S(a.SubAccounts[i].Name, destination);
            S(a.SubAccounts[i].AccountIdentifier, destination);
        }

        U16(a.HardwareWallets.Count, destination);
        for (var i = 0; i < a.HardwareWallets.Count; i++)
        {
            S(a.HardwareWallets[i].Name, destination);
            S(a.HardwareWallets[i].Principal, destination);
        }

        U16(a.Canisters.Count, destination);
        for (var i = 0; i < a.Canisters.Count; i++)
        {
            S(a.Canisters[i].Name, destination);
            S(a.Canisters[i].CanisterId, destination);
        }
    }

    public Account Read(ReadOnlySpan<byte> source)
    {
        var p = 0;
        string S(ReadOnlySpan<byte> s)
        {
            var n = U16(s);
            if (p + n > s.Length)
            {
                throw new CorruptMemoryException($"account: a string of {n} bytes at offset {p} passes the end ({s.Length} bytes)");
            }

            var text = Encoding.UTF8.GetString(s.Slice(p, n));
            p += n;
            return text;
        }

        int U16(ReadOnlySpan<byte> s)
        {
            if (p + 2 > s.Length)
            {
                throw new CorruptMemoryException($"account: a length at offset {p} passes the end ({s.Length} bytes)");
            }

            var v = BinaryPrimitives.ReadUInt16LittleEndian(s[p..]);
            p += 2;
            return v;
        }

        var principal = S(source);
        var created = BinaryPrimitives.ReadUInt64LittleEndian(source[p..]);
        p += 8;
        var subsCount = U16(source);
        var subs = new List<SubAccount>(Math.Min(subsCount, (source.Length - p) / 4)); // an entry takes at least its two lengths
        for (var i = 0; i < subsCount; i++)
        {
            subs.Add(new SubAccount(S(source), S(source)));
        }

        var walletsCount = U16(source);
        var wallets = new List<HardwareWallet>(Math.Min(walletsCount, (source.Length - p) / 4)); // an entry takes at least its two lengths
        for (var i = 0; i < walletsCount; i++)
        {
            wallets.Add(new HardwareWallet(S(source), S(source)));
        }

        var canistersCount = U16(source);
        var canisters = new List<NamedCanister>(Math.Min(canistersCount, (source.Length - p) / 4)); // an entry takes at least its two lengths
        for (var i = 0; i < canistersCount; i++)
        {
            canisters.Add(new NamedCanister(S(source), S(source)));
        }

        return new Account(principal, created, subs, wallets, canisters);
    }
}
