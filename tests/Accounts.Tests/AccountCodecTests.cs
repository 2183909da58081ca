using ActorMigrate.Examples.Accounts;
using ActorMigrate.StableMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accounts.Tests;

/// <summary>
/// The account codec and <see cref="Account.SameAs"/>, which every model comparison rests on: the size
/// the heap meters is the encoding's length, an account survives its encoding, and SameAs tells apart
/// accounts that differ in any one field.
/// </summary>
public sealed class AccountCodecTests
{
    private static readonly IStorable<Account> Codec = AccountCodec.Instance;

    private static Arbitrary<Account> Accounts =>
        Gen.Choose(0, int.MaxValue - 1).Select(seed =>
        {
            var random = new Random(seed);
            return AccountGenerator.NewAccount(random, AccountGenerator.Principal(random), scale: random.Next(1, 4));
        }).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property The_metered_size_is_the_encoding_length_and_the_encoding_round_trips() =>
        Prop.ForAll(Accounts, account =>
        {
            var bytes = Codec.ToBytes(account);
            return Codec.SizeOf(account) == bytes.Length && Codec.Read(bytes).SameAs(account);
        });

    [Property(MaxTest = 200)]
    public Property SameAs_tells_apart_accounts_that_differ_in_any_one_field() =>
        Prop.ForAll(Accounts, Gen.Choose(0, 4).ToArbitrary(), (account, field) =>
        {
            var changed = field switch
            {
                0 => account with { Principal = account.Principal + "x" },
                1 => account with { CreatedAtNanos = account.CreatedAtNanos + 1 },
                2 => account with { SubAccounts = [.. account.SubAccounts, new SubAccount("extra", "id")] },
                3 => account with { HardwareWallets = [.. account.HardwareWallets, new HardwareWallet("ledger", "2vxsx-fae")] },
                _ => account with { Canisters = [.. account.Canisters, new NamedCanister("c", "aaaaa-aa")] },
            };
            return account.SameAs(account with { }) && !account.SameAs(changed) && !changed.SameAs(account);
        });
}
