using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PvMonitor.Learning.Kernels;

/// <summary>
/// Vectorised float32 exp and log (Cephes-style range reduction and polynomials, a few ulp), used by every kernel that
/// needs them: on this machine they are several times faster than TensorPrimitives.Exp. Special values follow
/// IEEE: exp(−∞) = 0, exp(+∞) = +∞, log(0) = −∞, log(x &lt; 0) = NaN, NaN propagates; exp results below 2⁻¹²⁶
/// (x &lt; −87.34) are flushed to 0. Scalar tails (and hardware without Vector256) use MathF.
/// </summary>
internal static class FastMath
{
    private const float ExpHi = 88.7228394f;
    private const float ExpLo = -87.3365478f;

    /// <summary>y = exp(x) elementwise (in place allowed).</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8) Exp(Vector256.Create<float>(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }

        for (; i < n; i++) y[i] = MathF.Exp(x[i]);
    }

    /// <summary>y = exp(scale · x) elementwise (in place allowed).</summary>
    public static void ExpScaled(ReadOnlySpan<float> x, float scale, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= n; i += 8) Exp(s * Vector256.Create<float>(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }

        for (; i < n; i++) y[i] = MathF.Exp(scale * x[i]);
    }

    /// <summary>y = log(x) elementwise (in place allowed).</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8) Log(Vector256.Create<float>(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }

        for (; i < n; i++) y[i] = MathF.Log(x[i]);
    }

    /// <summary>exp of 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var nan = ~Vector256.Equals(x, x);
        var tooBig = Vector256.GreaterThan(x, Vector256.Create(ExpHi));
        var tooSmall = Vector256.LessThan(x, Vector256.Create(ExpLo));
        var xc = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpLo)), Vector256.Create(ExpHi));
        var fx = Vector256.Round(xc * Vector256.Create(1.44269504088896341f));
        var r = Vector256.FusedMultiplyAdd(fx, Vector256.Create(-0.693359375f), xc);
        r = Vector256.FusedMultiplyAdd(fx, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500E-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894E-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459E-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201E-1f));
        var y = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        // 2^n by building the exponent; n ∈ [−126, 128]: split as 2^(n/2)·2^(n − n/2) to stay representable.
        var n = Vector256.ConvertToInt32(fx);
        var half = Vector256.ShiftRightArithmetic(n, 1);
        var s1 = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        var s2 = Vector256.ShiftLeft(n - half + Vector256.Create(127), 23).AsSingle();
        y = y * s1 * s2;
        y = Vector256.ConditionalSelect(tooBig, Vector256.Create(float.PositiveInfinity), y);
        y = Vector256.ConditionalSelect(tooSmall, Vector256<float>.Zero, y);
        return Vector256.ConditionalSelect(nan, x, y);
    }

    /// <summary>Natural log of 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        var invalid = Vector256.LessThan(x, Vector256<float>.Zero) | ~Vector256.Equals(x, x);
        var zero = Vector256.Equals(x, Vector256<float>.Zero);
        var inf = Vector256.Equals(x, Vector256.Create(float.PositiveInfinity));
        // Subnormals: scale up by 2^23 first.
        var tiny = Vector256.LessThan(x, Vector256.Create(1.17549435e-38f));
        var xs = Vector256.ConditionalSelect(tiny, x * Vector256.Create(8388608f), x);
        var bits = xs.AsInt32();
        var e = Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(126);
        var m = ((bits & Vector256.Create(unchecked((int)0x807FFFFF))) | Vector256.Create(0x3F000000)).AsSingle(); // [0.5, 1)
        var ef = Vector256.ConvertToSingle(e) - (Vector256.Create(23f) & tiny);
        var small = Vector256.LessThan(m, Vector256.Create(0.707106781186547524f));
        ef -= Vector256<float>.One & small;
        m = m + (m & small) - Vector256<float>.One;
        var z = m * m;
        var p = Vector256.Create(7.0376836292E-2f);
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(-1.1514610310E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(1.1676998740E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(-1.2420140846E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(1.4249322787E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(-1.6668057665E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(2.0000714765E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(-2.4999993993E-1f));
        p = Vector256.FusedMultiplyAdd(p, m, Vector256.Create(3.3333331174E-1f));
        var y = p * m * z;
        y = Vector256.FusedMultiplyAdd(ef, Vector256.Create(-2.12194440e-4f), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        var result = m + y;
        result = Vector256.FusedMultiplyAdd(ef, Vector256.Create(0.693359375f), result);
        result = Vector256.ConditionalSelect(zero, Vector256.Create(float.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(inf, x, result);
        return Vector256.ConditionalSelect(invalid, Vector256.Create(float.NaN), result);
    }
}
