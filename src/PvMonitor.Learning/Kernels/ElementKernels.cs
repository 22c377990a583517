using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PvMonitor.Learning.Kernels;

/// <summary>A gradient rule <c>dx = f(g, x, y)</c> of an elementwise op with input x and output y.</summary>
internal interface IGradRule
{
    static abstract Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p);
    static abstract float Apply(float g, float x, float y, float p);
}

/// <summary>Vectorised elementwise kernels (Vector256 with scalar tails; the tail loop is the portable fallback).</summary>
internal static class ElementKernels
{
    /// <summary>dst (+)= TRule(g, x, y, p) elementwise.</summary>
    public static void Backward<TRule>(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst, bool accumulate, float p)
        where TRule : struct, IGradRule
    {
        int n = dst.Length;
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rd = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vp = Vector256.Create(p);
            for (; i + 8 <= n; i += 8)
            {
                var v = TRule.Apply(Vector256.LoadUnsafe(ref rg, (nuint)i), Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), vp);
                if (accumulate) v += Vector256.LoadUnsafe(ref rd, (nuint)i);
                v.StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float v = TRule.Apply(Unsafe.Add(ref rg, i), Unsafe.Add(ref rx, i), Unsafe.Add(ref ry, i), p);
            Unsafe.Add(ref rd, i) = accumulate ? Unsafe.Add(ref rd, i) + v : v;
        }
    }

    /// <summary>dst = src or dst += src.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Emit(ReadOnlySpan<float> src, Span<float> dst, bool accumulate)
    {
        if (accumulate) TensorPrimitives.Add(dst, src, dst);
        else src.CopyTo(dst);
    }

    /// <summary>dst (+)= a ⊙ b.</summary>
    public static void EmitProduct(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, bool accumulate)
    {
        if (accumulate) TensorPrimitives.FusedMultiplyAdd(a, b, dst, dst);
        else TensorPrimitives.Multiply(a, b, dst);
    }

    /// <summary>dst (+)= a · s.</summary>
    public static void EmitScaled(ReadOnlySpan<float> a, float s, Span<float> dst, bool accumulate)
    {
        if (accumulate) TensorPrimitives.FusedMultiplyAdd(a, s, dst, dst);
        else TensorPrimitives.Multiply(a, s, dst);
    }

    /// <summary>y = max(x, 0) + log(1 + exp(−|x|)), stable for any x.</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.Create<float>(x.Slice(i, 8));
                var t = FastMath.Exp(-Vector256.Abs(v));
                // log(1 + t), with log1p's small-t behaviour (t − t²/2) where 1 + t would round to 1
                var l = Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(1e-4f)), t - Vector256.Create(0.5f) * t * t, FastMath.Log(one + t));
                var r = Vector256.Max(v, Vector256<float>.Zero) + l;
                r.CopyTo(y.Slice(i, 8));
            }
        }

        for (; i < n; i++) y[i] = Softplus(x[i]);
    }

    /// <summary>Scalar softplus.</summary>
    public static float Softplus(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));

    /// <summary>y = 1 / (1 + exp(−x)).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
                (Vector256<float>.One / (Vector256<float>.One + FastMath.Exp(-Vector256.Create<float>(x.Slice(i, 8))))).CopyTo(y.Slice(i, 8));
        }

        for (; i < n; i++) y[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    /// <summary>y = tanh(x) = sign(x)·(1 − e^(−2|x|)) / (1 + e^(−2|x|)).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var signMask = Vector256.Create(-0f);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.Create<float>(x.Slice(i, 8));
                var t = FastMath.Exp(Vector256.Create(-2f) * Vector256.Abs(v));
                var r = (Vector256<float>.One - t) / (Vector256<float>.One + t);
                (r | (v & signMask)).CopyTo(y.Slice(i, 8));
            }
        }

        for (; i < n; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <summary>y = max(x, 0) (NaN stays NaN).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float ry = ref MemoryMarshal.GetReference(y);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v).StoreUnsafe(ref ry, (nuint)i);
            }
        }

        for (; i < n; i++) y[i] = x[i] < 0f ? 0f : x[i];
    }

    /// <summary>y = x &gt; 0 ? x : slope·x.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(slope);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.Create<float>(x.Slice(i, 8));
                Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * s).CopyTo(y.Slice(i, 8));
            }
        }

        for (; i < n; i++) y[i] = x[i] > 0f ? x[i] : slope * x[i];
    }
}

internal struct ReluGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, Vector256<float>.Zero);

    public static float Apply(float g, float x, float y, float p) => x > 0f ? g : 0f;
}

internal struct LeakyReluGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, g * p);

    public static float Apply(float g, float x, float y, float p) => x > 0f ? g : g * p;
}

internal struct TanhGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        g * (Vector256<float>.One - y * y);

    public static float Apply(float g, float x, float y, float p) => g * (1f - y * y);
}

internal struct SigmoidGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        g * y * (Vector256<float>.One - y);

    public static float Apply(float g, float x, float y, float p) => g * y * (1f - y);
}

/// <summary>softplus'(x) = σ(x) = 1 / (1 + exp(−x)).</summary>
internal struct SoftplusGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        g / (Vector256<float>.One + FastMath.Exp(-x));

    public static float Apply(float g, float x, float y, float p) => g / (1f + MathF.Exp(-x));
}

internal struct LogGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) => g / x;

    public static float Apply(float g, float x, float y, float p) => g / x;
}

internal struct SqrtGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        g * Vector256.Create(0.5f) / y;

    public static float Apply(float g, float x, float y, float p) => 0.5f * g / y;
}

internal struct SquareGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        g * (x + x);

    public static float Apply(float g, float x, float y, float p) => g * 2f * x;
}

internal struct AbsGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -g, Vector256<float>.Zero));

    public static float Apply(float g, float x, float y, float p) => x > 0f ? g : x < 0f ? -g : 0f;
}

/// <summary>Clamp passes the gradient where the input was inside [min, max] (inclusive); y is the clamped value.</summary>
internal struct ClampGrad : IGradRule
{
    public static Vector256<float> Apply(Vector256<float> g, Vector256<float> x, Vector256<float> y, Vector256<float> p) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, y), g, Vector256<float>.Zero);

    public static float Apply(float g, float x, float y, float p) => x == y ? g : 0f;
}
