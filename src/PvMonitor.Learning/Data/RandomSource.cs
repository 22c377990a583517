using System.Numerics;
using System.Runtime.CompilerServices;

namespace PvMonitor.Learning.Data;

/// <summary>
/// A seeded, deterministic random source (xoshiro256** seeded through SplitMix64): the same seed gives the same
/// numbers on every machine. Library code never creates randomness of its own: shuffles, splits and label subsampling
/// take one of these, and the tensor noise (initial weights, reparameterisation, dropout) comes from a
/// <c>torch.Generator</c> seeded from one (<see cref="NextSeed"/>). Not thread-safe: give each thread its own (see <see cref="Fork"/>).
/// </summary>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a source from <paramref name="seed"/>.</summary>
    public RandomSource(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The seed this source was created with.</summary>
    public ulong Seed { get; }

    /// <summary>A new, independent source whose seed is drawn from this one (deterministic).</summary>
    public RandomSource Fork() => new(NextUInt64());

    /// <summary>A non-negative seed for a <c>torch.Generator</c> (deterministic).</summary>
    public long NextSeed() => (long)(NextUInt64() >> 1);

    /// <summary>64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            ulong hi = Math.BigMul(r, bound, out ulong lo);
            if (lo >= threshold) return (int)hi;
        }
    }

    /// <summary>One standard normal draw (Box–Muller).</summary>
    public float NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
