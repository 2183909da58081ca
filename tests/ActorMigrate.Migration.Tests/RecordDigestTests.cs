using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorMigrate.Migration.Tests;

public sealed class RecordDigestTests
{
    private static ulong Digest(IEnumerable<(byte[] Key, byte[] Value)> records) =>
        records.Aggregate(0UL, (sum, r) => sum + RecordDigest.Hash(r.Key, r.Value));

    [Property(MaxTest = 200)]
    public Property The_digest_of_a_multiset_does_not_depend_on_insertion_order() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 50).Select(i => (new[] { (byte)i }, new[] { (byte)(i * 3) }))).ToArbitrary(), records =>
        {
            var list = records.ToList();
            var shuffled = list.OrderBy(r => RecordDigest.Hash(r.Item2, r.Item1)).ToList();
            return Digest(list) == Digest(shuffled);
        });

    [Property(MaxTest = 200)]
    public Property Insert_then_remove_restores_the_digest_and_an_overwrite_changes_it(byte key, byte value, byte other) =>
        (other != value).Implies(() =>
        {
            ulong digest = 12345;
            var inserted = digest + RecordDigest.Hash([key], [value]);
            var removed = inserted - RecordDigest.Hash([key], [value]);
            var overwritten = inserted - RecordDigest.Hash([key], [value]) + RecordDigest.Hash([key], [other]);
            return removed == digest && overwritten != inserted;
        });

    [Fact]
    public void Moving_a_byte_between_key_and_value_changes_the_record_hash() =>
        Assert.NotEqual(RecordDigest.Hash([1, 2], [3]), RecordDigest.Hash([1], [2, 3]));
}
