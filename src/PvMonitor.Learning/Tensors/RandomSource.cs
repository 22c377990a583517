using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>Fills <paramref name="destination"/> with U[<paramref name="low"/>, <paramref name="high"/>) draws (24 random bits each).</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        float scale = high - low;
        FillUnit(destination, 0);
        if (low != 0f || scale != 1f)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = low + scale * destination[i];
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with N(<paramref name="mean"/>, <paramref name="std"/>²) draws by Box–Muller
    /// on pairs (pair k gives destination[2k] and destination[2k + 1]), vectorised where the hardware allows; the
    /// same seed on the same machine gives the same numbers.
    /// </summary>
    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        int n = destination.Length;
        int pairs = (n + 1) / 2;
        if (_scratch.Length < 2 * pairs) _scratch = new float[Math.Max(2 * pairs, 64)];
        var u = _scratch.AsSpan(0, 2 * pairs);
        FillUnit(u.Slice(0, pairs), 1); // (0, 1] for the radius
        FillUnit(u.Slice(pairs), 0); // [0, 1) for the angle
        BoxMuller(u, pairs, destination, mean, std);
    }

    /// <summary>destination[i] = (k + offset)·2⁻²⁴ for the top 24 bits k of successive draws; state kept in registers.</summary>
    private void FillUnit(Span<float> destination, uint offset)
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (int i = 0; i < destination.Length; i++)
        {
            ulong r = BitOperations.RotateLeft(s1 * 5, 7) * 9;
            ulong t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = BitOperations.RotateLeft(s3, 45);
            destination[i] = ((r >> 40) + offset) * (1f / (1 << 24));
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    private static void BoxMuller(Span<float> u, int pairs, Span<float> destination, float mean, float std)
    {
        const float TwoPi = 2f * MathF.PI;
        int n = destination.Length;
        int i = 0;
        if (Avx.IsSupported)
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
                // interleave so pair k lands in destination[2k], destination[2k + 1]
                var lo = Avx.UnpackLow(a, b); // a0 b0 a1 b1 | a4 b4 a5 b5
                var hi = Avx.UnpackHigh(a, b); // a2 b2 a3 b3 | a6 b6 a7 b7
                var first = Avx.Permute2x128(lo, hi, 0x20);
                var second = Avx.Permute2x128(lo, hi, 0x31);
                first.CopyTo(destination.Slice(2 * i, 8));
                second.CopyTo(destination.Slice(2 * i + 8, 8));
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
