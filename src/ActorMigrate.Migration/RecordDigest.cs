using System.Buffers;
using ActorMigrate.Canisters;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Migration;

/// <summary>
/// An order-independent multiset digest: the sum, mod 2^64, of a 64-bit hash of each record's key and
/// value encodings. Insert adds the record's hash, remove subtracts it, an overwrite does both — so a
/// digest kept by every write equals the digest of the store's content, whatever order records arrived in.
/// </summary>
public static class RecordDigest
{
    /// <summary>The hash of one record (FNV-1a over key, a separator and value, then a 64-bit finalizer), charged as Wasm work per byte.</summary>
    public static ulong Of<K, V>(Ic0 ic, IStorable<K> keys, IStorable<V> values, K key, V value)
    {
        // Encoded into a pooled buffer: this runs for every record a step copies and every write under dual writes.
        var keySize = keys.SizeOf(key);
        var valueSize = values.SizeOf(value);
        var buffer = ArrayPool<byte>.Shared.Rent(keySize + valueSize);
        try
        {
            var valueBytes = buffer.AsSpan(keySize, valueSize);
            values.Write(value, valueBytes);
            values.CheckBound(valueSize);
            return WithKey(ic, keys, key, buffer.AsSpan(0, keySize), valueBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The hash of a record whose value is given encoded, as a store holds it: what <see cref="Of{K,V}"/>
    /// gives and charges for a value that encodes to <paramref name="value"/>, without decoding it.
    /// </summary>
    public static ulong OfStored<K>(Ic0 ic, IStorable<K> keys, K key, ReadOnlySpan<byte> value)
    {
        var keySize = keys.SizeOf(key);
        var buffer = ArrayPool<byte>.Shared.Rent(keySize);
        try
        {
            return WithKey(ic, keys, key, buffer.AsSpan(0, keySize), value);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Encodes <paramref name="key"/> into <paramref name="keyBytes"/> (its exact size), charges both encodings' bytes and hashes them.</summary>
    private static ulong WithKey<K>(Ic0 ic, IStorable<K> keys, K key, Span<byte> keyBytes, ReadOnlySpan<byte> value)
    {
        keys.Write(key, keyBytes);
        keys.CheckBound(keyBytes.Length);
        ic.ChargeWasm(ic.Costs.HeapInstructionsPerByte * (keyBytes.Length + value.Length));
        return Hash(keyBytes, value);
    }

    public static ulong Hash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var b in key)
        {
            h = (h ^ b) * 0x100000001b3UL;
        }

        h = (h ^ (ulong)key.Length ^ 0xff) * 0x100000001b3UL;
        foreach (var b in value)
        {
            h = (h ^ b) * 0x100000001b3UL;
        }

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        return h ^ (h >> 33);
    }
}
