using System.Globalization;
using ActorMigrate.StableMemory;

namespace ActorMigrate.Canisters.Calibration;

/// <summary>A benchmark's key or value type: its codec and a generator of random values, as the Rust benchmarks draw them.</summary>
internal abstract class TypeSpec
{
    public static TypeSpec Parse(string spec)
    {
        if (spec == "u64")
        {
            return new Spec<ulong>(Storable.U64, random => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63));
        }

        var parts = spec.Split('_');
        var bound = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "blob" => new Spec<Blob>(Storable.Blob((uint)bound), random => new Blob(RandomBytes(random, random.Next(bound)))),
            "vec" => new Spec<byte[]>(Storable.Bytes, random => RandomBytes(random, random.Next(bound))),
            _ => throw new ArgumentException($"unknown benchmark type '{spec}'"),
        };
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Calls the workload with this type as the key type and <paramref name="value"/> as the value type.</summary>
    public abstract Func<Ic0, long> Bind(TypeSpec value, IWorkload workload);

    internal abstract Func<Ic0, long> BindValue<K>(Spec<K> key, IWorkload workload);

    internal sealed class Spec<T>(IStorable<T> codec, Func<Random, T> next) : TypeSpec
    {
        public IStorable<T> Codec { get; } = codec;

        public Func<Random, T> Next { get; } = next;

        public override Func<Ic0, long> Bind(TypeSpec value, IWorkload workload) => value.BindValue(this, workload);

        internal override Func<Ic0, long> BindValue<K>(Spec<K> key, IWorkload workload) => workload.Create(key, this);
    }
}

/// <summary>A workload generic in its key and value types.</summary>
internal interface IWorkload
{
    Func<Ic0, long> Create<K, V>(TypeSpec.Spec<K> key, TypeSpec.Spec<V> value);
}
