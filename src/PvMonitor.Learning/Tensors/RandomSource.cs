using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PvMonitor.Learning.Tensors;

/// <summary>
/// A seeded, deterministic random source (xoshiro256** seeded through SplitMix64): the same seed gives the same
/// numbers on the same machine. Library code never creates randomness of its own; every initialiser, sampler and
/// dropout layer takes one of these. Not thread-safe: give each thread its own (see <see cref="Fork"/>).
/// </summary>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;
    private float[] _scratch = [];

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

    /// <summary>Fills <paramref name="destination"/> with U[<paramref name="low"/>, <paramref name="high"/>) draws.</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        float scale = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + scale * NextFloat();
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with N(<paramref name="mean"/>, <paramref name="std"/>²) draws
    /// (Box–Muller on pairs, vectorised where the hardware allows; same seed on the same machine → same numbers).
    /// </summary>
    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        int n = destination.Length;
        int pairs = (n + 1) / 2;
        if (_scratch.Length < 2 * pairs) _scratch = new float[Math.Max(2 * pairs, 64)];
        var u = _scratch.AsSpan(0, 2 * pairs);
        // u[0..pairs) in (0, 1] for the radius, u[pairs..) in [0, 1) for the angle.
        for (int i = 0; i < pairs; i++) u[i] = ((NextUInt64() >> 40) + 1) * (1f / (1 << 24));
        for (int i = pairs; i < 2 * pairs; i++) u[i] = NextFloat();
        BoxMuller(u, pairs, destination, mean, std);
    }

    private static void BoxMuller(Span<float> u, int pairs, Span<float> destination, float mean, float std)
    {
        const float TwoPi = 2f * MathF.PI;
        int n = destination.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(mean);
            var vs = Vector256.Create(std);
            var m2 = Vector256.Create(-2f);
            var tp = Vector256.Create(TwoPi);
            for (; i + 8 <= pairs && 2 * (i + 8) <= n; i += 8)
            {
                var r = Vector256.Sqrt(m2 * Vector256.Log(Vector256.Create<float>(u.Slice(i, 8))));
                var (sin, cos) = Vector256.SinCos(tp * Vector256.Create<float>(u.Slice(pairs + i, 8)));
                var a = vm + vs * (r * cos);
                var b = vm + vs * (r * sin);
                // interleave so pair k lands in destination[2k], destination[2k+1]
                var lo = Vector256.Create(a.GetLower(), b.GetLower());
                var hi = Vector256.Create(a.GetUpper(), b.GetUpper());
                for (int k = 0; k < 4; k++)
                {
                    destination[2 * (i + k)] = lo[k];
                    destination[2 * (i + k) + 1] = lo[k + 4];
                    destination[2 * (i + 4 + k)] = hi[k];
                    destination[2 * (i + 4 + k) + 1] = hi[k + 4];
                }
            }
        }

        for (; i < pairs; i++)
        {
            float r = MathF.Sqrt(-2f * MathF.Log(u[i]));
            var (sin, cos) = MathF.SinCos(TwoPi * u[pairs + i]);
            destination[2 * i] = mean + std * r * cos;
            if (2 * i + 1 < n) destination[2 * i + 1] = mean + std * r * sin;
        }
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
