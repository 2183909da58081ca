using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static ActorMigrate.StableMemory.Tests.Structures.StructureBytes;

namespace ActorMigrate.StableMemory.Tests.Structures;

/// <summary>
/// Bytes that are not what a structure expects are refused with an exception that says what and where,
/// when the structure is opened where the header already tells, and never hang.
/// </summary>
public sealed class StructureBadInputTests
{
    private const string VecHeaderU64 = "535643 01 0000000000000000 08000000 01";

    [Fact]
    public void A_vec_over_other_bytes_is_refused_naming_the_magic_found_and_expected()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => StableVec<ulong>.Init(PageWith("534d48 01"), Storable.U64));
        Assert.Contains("bad magic at offset 0", e.Message);
        Assert.Contains("\"SMH\"", e.Message);
        Assert.Contains("\"SVC\"", e.Message);

        e = Assert.Throws<CorruptMemoryException>(() => StableMinHeap<ulong>.Init(PageWith("00ff10"), Storable.U64));
        Assert.Contains("0x00ff10", e.Message);
    }

    [Fact]
    public void A_vec_of_another_layout_version_is_refused()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => StableVec<ulong>.Init(PageWith("535643 02"), Storable.U64));
        Assert.Contains("layout version 2 at offset 3", e.Message);
    }

    [Fact]
    public void A_vec_opened_with_an_element_type_of_other_bounds_is_refused_naming_both_bounds()
    {
        var memory = new SparseMemory();
        StableVec<ulong>.New(memory, Storable.U64).Push(1);

        var e = Assert.Throws<IncompatibleElementTypeException>(() => StableVec<Blob>.Init(memory, Storable.Blob(8)));
        Assert.Contains("fixed 8 bytes", e.Message);
        Assert.Contains("at most 8 bytes", e.Message);
        Assert.Throws<IncompatibleElementTypeException>(() => StableVec<uint>.Init(memory, Storable.U32));
        Assert.Throws<IncompatibleElementTypeException>(() => StableMinHeap<Blob>.Init(PageWith("534d48 01 0000000000000000 08000000 01"), Storable.Blob(9)));
    }

    [Fact]
    public void A_vec_of_an_unbounded_element_type_cannot_be_created()
    {
        var e = Assert.Throws<ArgumentException>(() => StableVec<byte[]>.New(new SparseMemory(), Storable.Bytes));
        Assert.Contains("unbounded", e.Message);
    }

    [Fact]
    public void A_vec_length_beyond_the_memory_is_refused_when_opened()
    {
        // One page holds 8,184 u64 slots after the header.
        var fits = PageWith("535643 01 f81f000000000000 08000000 01");
        Assert.Equal(8184UL, StableVec<ulong>.Init(fits, Storable.U64).Count);

        var e = Assert.Throws<CorruptMemoryException>(() => StableVec<ulong>.Init(PageWith("535643 01 f91f000000000000 08000000 01"), Storable.U64));
        Assert.Contains("length 8185 at offset 4", e.Message);
        Assert.Throws<CorruptMemoryException>(() => StableVec<ulong>.Init(PageWith("535643 01 ffffffffffffffff 08000000 01"), Storable.U64));
    }

    [Fact]
    public void A_vec_element_whose_length_prefix_exceeds_the_bound_is_refused_when_read()
    {
        // Blob<10>: 1-byte prefix; element 0 claims 11 bytes.
        var memory = PageWith("535643 01 0100000000000000 0a000000 00" + new string('0', 94) + "0b");
        var vec = StableVec<Blob>.Init(memory, Storable.Blob(10));

        var e = Assert.Throws<CorruptMemoryException>(() => vec.Get(0));
        Assert.Contains("element 0 at offset 64 says it is 11 bytes long", e.Message);
    }

    [Fact]
    public void A_vec_is_not_created_in_a_memory_that_cannot_grow_to_hold_its_header()
    {
        var window = new RestrictedMemory(new SparseMemory(initialPages: 1), 0, 0);
        Assert.Throws<GrowFailedException>(() => StableVec<ulong>.Init(window, Storable.U64));
    }

    [Fact]
    public void A_push_the_memory_cannot_grow_for_fails_and_leaves_the_vec_unchanged()
    {
        var vec = StableVec<ulong>.New(new SparseMemory(maxPages: 1), Storable.U64);
        for (var i = 0; i < 8184; i++)
        {
            vec.Push(1);
        }

        var e = Assert.Throws<GrowFailedException>(() => vec.Push(2));
        Assert.Contains("StableVec could not grow its memory from 1 pages", e.Message);
        Assert.Equal(8184UL, vec.Count);
    }

    [Fact]
    public void A_cell_of_another_layout_version_or_with_a_length_beyond_the_memory_is_refused()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => StableCell<byte[]>.Init(PageWith("53434c 07"), Storable.Bytes, []));
        Assert.Contains("layout version 7 at offset 3", e.Message);

        e = Assert.Throws<CorruptMemoryException>(() => StableCell<byte[]>.Init(PageWith("53434c 01 f9ff0000"), Storable.Bytes, []));
        Assert.Contains("value length 65529 at offset 4", e.Message);
        Assert.Equal(65_528, StableCell<byte[]>.Init(PageWith("53434c 01 f8ff0000"), Storable.Bytes, []).Value.Length);
    }

    [Fact]
    public void A_cell_value_the_codec_cannot_decode_is_refused()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => StableCell<ulong>.Init(PageWith("53434c 01 03000000 010203"), Storable.U64, 0));
        Assert.Contains("u64 must be 8 bytes, found 3", e.Message);
    }

    [Fact]
    public void A_cell_value_the_memory_cannot_grow_for_fails_and_leaves_the_cell_unchanged()
    {
        var cell = StableCell<byte[]>.New(new SparseMemory(maxPages: 1), Storable.Bytes, [1]);

        Assert.Throws<GrowFailedException>(() => cell.Set(new byte[65_529]));
        Assert.Equal([1], cell.Value);
        Assert.Equal([1], StableCell<byte[]>.Init(cell.Memory, Storable.Bytes, []).Value);
    }

    private static SparseMemory LogIndex(string countAndEnds) => PageWith("474c49 01" + new string('0', 56) + countAndEnds);

    private static SparseMemory LogData(string entries) => PageWith("474c44 01" + new string('0', 56) + entries);

    [Fact]
    public void A_log_whose_index_points_beyond_the_data_is_refused_when_opened()
    {
        // The last entry ends at 65,505: one byte past the 65,504 the data page holds after its header.
        var e = Assert.Throws<CorruptMemoryException>(() =>
            StableLog<byte[]>.Init(LogIndex("0100000000000000 e1ff000000000000"), LogData("aa"), Storable.Bytes));
        Assert.Contains("index slot 0 at offset 40 says the entries end at 65505", e.Message);
    }

    [Fact]
    public void A_log_index_that_goes_backwards_is_refused_when_the_entry_is_read()
    {
        var log = StableLog<byte[]>.Init(LogIndex("0300000000000000 0400000000000000 0200000000000000 0500000000000000"), LogData("aabbccddee"), Storable.Bytes);

        Assert.Equal(Hex("aabbccdd"), log.Get(0));
        var e = Assert.Throws<CorruptMemoryException>(() => log.Get(1));
        Assert.Contains("index slot 1 at offset 48 says entry 1 spans [4, 2)", e.Message);
        Assert.Throws<CorruptMemoryException>(() => log.ToList());
    }

    [Fact]
    public void A_log_count_beyond_the_index_memory_is_refused_when_opened()
    {
        var e = Assert.Throws<CorruptMemoryException>(() =>
            StableLog<byte[]>.Init(LogIndex("ffffffffffffffff"), LogData(""), Storable.Bytes));
        Assert.Contains("count 18446744073709551615", e.Message);
    }

    [Fact]
    public void A_log_data_memory_beside_an_index_that_is_not_GLI_is_refused_as_an_invalid_index()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => StableLog<byte[]>.Init(PageWith("534d48 01"), LogData(""), Storable.Bytes));
        Assert.Contains("index memory starts with \"SMH\"", e.Message);

        e = Assert.Throws<CorruptMemoryException>(() => StableLog<byte[]>.Init(new SparseMemory(), LogData(""), Storable.Bytes));
        Assert.Contains("index memory has only 0 bytes", e.Message);
    }

    [Fact]
    public void A_log_of_another_layout_version_in_either_memory_is_refused()
    {
        var e = Assert.Throws<CorruptMemoryException>(() => StableLog<byte[]>.Init(LogIndex("00"), PageWith("474c44 02"), Storable.Bytes));
        Assert.Contains("data memory has layout version 2", e.Message);

        e = Assert.Throws<CorruptMemoryException>(() => StableLog<byte[]>.Init(PageWith("474c49 03"), LogData(""), Storable.Bytes));
        Assert.Contains("index memory has layout version 3", e.Message);
    }

    /// <summary>Random bytes behind a valid magic: the structure either reads them or says why not.</summary>
    [Property(MaxTest = 300)]
    public Property Opening_and_reading_arbitrary_bytes_either_works_or_raises_a_stable_memory_exception() =>
        Prop.ForAll(
            Gen.Elements(0, 1, 2, 3).SelectMany(kind => Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(0, 100)).Select(t => (Kind: kind, Seed: t.Item1, Count: t.Item2))).ToArbitrary(),
            t =>
            {
                var (kind, seed, smallCount) = t;
                var random = new Random(seed);
                var page = new byte[65_536];
                random.NextBytes(page.AsSpan(0, 2_000));
                var header = kind switch { 0 => "SVC", 1 => "SMH", 2 => "SCL", _ => "GLI" };
                System.Text.Encoding.ASCII.GetBytes(header).CopyTo(page, 0);
                page[3] = 1;
                if (random.Next(2) == 0)
                {
                    // Plausible lengths, so that reading gets past the header checks.
                    BitConverter.TryWriteBytes(page.AsSpan(kind == 3 ? 32 : 4), (ulong)smallCount);
                    BitConverter.TryWriteBytes(page.AsSpan(kind == 2 ? 4 : 12), (uint)(kind == 2 ? smallCount : 10));
                }

                var memory = SparseMemory.FromImage(page);
                try
                {
                    _ = kind switch
                    {
                        0 => StableVec<Blob>.Init(memory, Storable.Blob(10)).Count(),
                        1 => StableMinHeap<Blob>.Init(memory, Storable.Blob(10)).Count(),
                        2 => StableCell<byte[]>.Init(memory, Storable.Bytes, []).Value.Length,
                        _ => StableLog<byte[]>.Init(memory, LogData(Convert.ToHexString(page.AsSpan(100, 500))), Storable.Bytes).Count(),
                    };
                    return true;
                }
                catch (StableMemoryException)
                {
                    return true;
                }
            });
}
