using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.Intrinsics;
using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    private const float Log2Pi = 1.8378770664093453f;

    /// <summary>
    /// Per-row log-density (nats) of x under the diagonal Gaussian N(mu, exp(logVar)):
    /// Σⱼ −½(log 2π + logVar + (x − mu)² e^(−logVar)). All three are batch × d; the result is batch × 1.
    /// </summary>
    public Tensor GaussianLogProb(Tensor x, Tensor mean, Tensor logVar)
    {
        Check(x);
        Check(mean);
        Check(logVar);
        RequireSame(x, mean, logVar);
        int n = x.Rows, d = x.Cols;
        var t = NewNode(OpCode.GaussianLogProb, n, 1, 2, Tracks(x, mean, logVar));
        var terms = Scratch(x.Length);
        var xs = x.Raw;
        var ms = mean.Raw;
        var ls = logVar.Raw;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= terms.Length; i += 8)
            {
                var diff = Vector256.Create<float>(xs.Slice(i, 8)) - Vector256.Create<float>(ms.Slice(i, 8));
                var lv = Vector256.Create<float>(ls.Slice(i, 8));
                (lv + diff * diff * FastMath.Exp(-lv)).CopyTo(terms.Slice(i, 8));
            }
        }

        for (; i < terms.Length; i++)
        {
            float diff = xs[i] - ms[i];
            terms[i] = ls[i] + diff * diff * MathF.Exp(-ls[i]);
        }

        RowSums(terms, n, d, t.Raw, -0.5f, -0.5f * d * Log2Pi);
        t.A = x;
        t.B = mean;
        t.C = logVar;
        return t;
    }

    /// <summary>Per-row log-density (nats) under N(0, I): Σⱼ −½(log 2π + x²) (batch × 1).</summary>
    public Tensor StandardNormalLogProb(Tensor x)
    {
        Check(x);
        var t = NewNode(OpCode.StandardNormalLogProb, x.Rows, 1, 2, Tracks(x));
        var sq = Scratch(x.Length);
        TensorPrimitives.Multiply(x.Raw, x.Raw, sq);
        RowSums(sq, x.Rows, x.Cols, t.Raw, -0.5f, -0.5f * x.Cols * Log2Pi);
        t.A = x;
        return t;
    }

    /// <summary>
    /// Per-row KL(q ‖ p) (nats) between diagonal Gaussians q = N(meanQ, e^logVarQ), p = N(meanP, e^logVarP):
    /// Σⱼ ½(logVarP − logVarQ + (e^logVarQ + (meanQ − meanP)²) e^(−logVarP) − 1). Result batch × 1.
    /// </summary>
    public Tensor GaussianKl(Tensor meanQ, Tensor logVarQ, Tensor meanP, Tensor logVarP)
    {
        Check(meanQ);
        Check(logVarQ);
        Check(meanP);
        Check(logVarP);
        RequireSame(meanQ, logVarQ, meanP);
        RequireSame(meanQ, logVarQ, logVarP);
        int n = meanQ.Rows, d = meanQ.Cols;
        bool tracks = GradientsEnabled && (meanQ.RequiresGrad || logVarQ.RequiresGrad || meanP.RequiresGrad || logVarP.RequiresGrad);
        var t = NewNode(OpCode.GaussianKl, n, 1, 2, tracks);
        var terms = Scratch(meanQ.Length);
        var mq = meanQ.Raw;
        var lq = logVarQ.Raw;
        var mp = meanP.Raw;
        var lp = logVarP.Raw;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= terms.Length; i += 8)
            {
                var diff = Vector256.Create<float>(mq.Slice(i, 8)) - Vector256.Create<float>(mp.Slice(i, 8));
                var vq = Vector256.Create<float>(lq.Slice(i, 8));
                var vp = Vector256.Create<float>(lp.Slice(i, 8));
                (vp - vq + (FastMath.Exp(vq) + diff * diff) * FastMath.Exp(-vp)).CopyTo(terms.Slice(i, 8));
            }
        }

        for (; i < terms.Length; i++)
        {
            float diff = mq[i] - mp[i];
            terms[i] = lp[i] - lq[i] + (MathF.Exp(lq[i]) + diff * diff) * MathF.Exp(-lp[i]);
        }

        RowSums(terms, n, d, t.Raw, 0.5f, -0.5f * d);
        if (t.Inputs is null || t.Inputs.Length < 4) t.Inputs = new Tensor[4];
        (t.Inputs[0], t.Inputs[1], t.Inputs[2], t.Inputs[3]) = (meanQ, logVarQ, meanP, logVarP);
        t.InputCount = 4;
        return t;
    }

    /// <summary>Per-row KL(N(mean, e^logVar) ‖ N(0, I)) = Σⱼ ½(e^logVar + mean² − 1 − logVar) in nats (batch × 1).</summary>
    public Tensor StandardNormalKl(Tensor mean, Tensor logVar)
    {
        Check(mean);
        Check(logVar);
        RequireSame(mean, logVar, mean);
        var t = NewNode(OpCode.StandardNormalKl, mean.Rows, 1, 2, Tracks(mean, logVar));
        var terms = Scratch(mean.Length);
        var ms = mean.Raw;
        var ls = logVar.Raw;
        FastMath.Exp(ls, terms);
        TensorPrimitives.FusedMultiplyAdd(ms, ms, terms, terms);
        TensorPrimitives.Subtract(terms, ls, terms);
        RowSums(terms, mean.Rows, mean.Cols, t.Raw, 0.5f, -0.5f * mean.Cols);
        t.A = mean;
        t.B = logVar;
        return t;
    }

    /// <summary>
    /// Reparameterised sample z = mean + e^(½·logVar) ⊙ ε with ε ~ N(0, I) drawn from <paramref name="random"/>;
    /// gradients flow to mean and logVar.
    /// </summary>
    public Tensor Reparameterize(Tensor mean, Tensor logVar, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = ReparameterizeNode(mean, logVar);
        var eps = t.Aux.AsSpan(0, t.Length);
        random.FillNormal(eps);
        FinishReparameterize(t, eps);
        return t;
    }

    /// <summary>z = mean + e^(½·logVar) ⊙ <paramref name="noise"/> with caller-supplied standard-normal noise.</summary>
    public Tensor Reparameterize(Tensor mean, Tensor logVar, Tensor noise)
    {
        Check(noise);
        var t = ReparameterizeNode(mean, logVar);
        if (noise.Length != t.Length) throw new ArgumentException($"Noise {noise.ShapeString} does not match {mean.ShapeString}.");
        var eps = t.Aux.AsSpan(0, t.Length);
        noise.Raw.CopyTo(eps);
        FinishReparameterize(t, eps);
        return t;
    }

    private Tensor ReparameterizeNode(Tensor mean, Tensor logVar)
    {
        Check(mean);
        Check(logVar);
        RequireSame(mean, logVar, mean);
        var t = NewNode(OpCode.Reparameterize, mean.Rows, mean.Cols, mean.Rank, Tracks(mean, logVar));
        Ensure(ref t.Aux, mean.Length);
        t.A = mean;
        t.B = logVar;
        return t;
    }

    private static void FinishReparameterize(Tensor t, ReadOnlySpan<float> eps)
    {
        var z = t.Raw;
        FastMath.ExpScaled(t.B!.Raw, 0.5f, z);
        TensorPrimitives.FusedMultiplyAdd(z, eps, t.A!.Raw, z);
    }

    /// <summary>Per-row entropy (nats) of the categorical distribution softmax(<paramref name="logits"/>): −Σ p log p (batch × 1).</summary>
    public Tensor CategoricalEntropy(Tensor logits)
    {
        Check(logits);
        int n = logits.Rows, k = logits.Cols;
        var t = NewNode(OpCode.CategoricalEntropy, n, 1, 2, Tracks(logits));
        var aux = Ensure(ref t.Aux, n * k + n);
        var p = aux.AsSpan(0, n * k);
        var lse = aux.AsSpan(n * k, n);
        RowLogSumExp(logits.Raw, n, k, lse, p, exponentials: true);
        var x = logits.Raw;
        var h = t.Raw;
        for (int i = 0; i < n; i++) h[i] = lse[i] - TensorPrimitives.Dot(p.Slice(i * k, k), x.Slice(i * k, k));
        t.A = logits;
        return t;
    }

    private static void RequireSame(Tensor a, Tensor b, Tensor c)
    {
        if (a.Rows != b.Rows || a.Cols != b.Cols || a.Rows != c.Rows || a.Cols != c.Cols)
            throw new ArgumentException($"Shapes must match: {a.ShapeString}, {b.ShapeString}, {c.ShapeString}.");
    }

    /// <summary>out[i] = scale · Σⱼ terms[i, j] + shift.</summary>
    internal static void RowSums(ReadOnlySpan<float> terms, int rows, int cols, Span<float> output, float scale, float shift)
    {
        for (int i = 0; i < rows; i++)
        {
            var row = terms.Slice(i * cols, cols);
            float s = 0f;
            if (cols >= 32) s = TensorPrimitives.Sum(row);
            else
                for (int j = 0; j < row.Length; j++) s += row[j];
            output[i] = scale * s + shift;
        }
    }

    /// <summary>The per-row gradient g[i] repeated across the d columns of row i (scratch storage).</summary>
    private Span<float> RowGradient(ReadOnlySpan<float> g, int rows, int d)
    {
        var full = Scratch4(rows * d);
        for (int i = 0; i < rows; i++) full.Slice(i * d, d).Fill(g[i]);
        return full;
    }
}
