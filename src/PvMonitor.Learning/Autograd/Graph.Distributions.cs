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
                (lv + diff * diff * Vector256.Exp(-lv)).CopyTo(terms.Slice(i, 8));
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
        for (int i = 0; i < terms.Length; i++)
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
        TensorPrimitives.Exp(ls, terms);
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
        TensorPrimitives.Multiply(t.B!.Raw, 0.5f, z);
        TensorPrimitives.Exp(z, z);
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
    private static void RowSums(ReadOnlySpan<float> terms, int rows, int cols, Span<float> output, float scale, float shift)
    {
        for (int i = 0; i < rows; i++)
        {
            var row = terms.Slice(i * cols, cols);
            float s = 0f;
            if (cols >= 16) s = TensorPrimitives.Sum(row);
            else
                for (int j = 0; j < row.Length; j++) s += row[j];
            output[i] = scale * s + shift;
        }
    }

    private void BackwardDistribution(Tensor t)
    {
        var g = GradSpan(t);
        switch (t.Op)
        {
            case OpCode.GaussianLogProb: BackwardGaussianLogProb(t, g); break;
            case OpCode.StandardNormalLogProb:
            {
                var x = t.A!;
                if (!x.RequiresGrad) return;
                var gx = GradOf(x, out bool acc);
                var xs = x.Raw;
                for (int i = 0; i < x.Rows; i++)
                    ElementKernels.EmitScaled(xs.Slice(i * x.Cols, x.Cols), -g[i], gx.Slice(i * x.Cols, x.Cols), acc);
                break;
            }

            case OpCode.GaussianKl: BackwardGaussianKl(t, g); break;
            case OpCode.StandardNormalKl: BackwardStandardNormalKl(t, g); break;
            case OpCode.Reparameterize: BackwardReparameterize(t, g); break;
            default: BackwardEntropy(t, g); break;
        }
    }

    private void BackwardGaussianLogProb(Tensor t, Span<float> g)
    {
        Tensor x = t.A!, mean = t.B!, logVar = t.C!;
        int d = x.Cols;
        var xs = x.Raw;
        var ms = mean.Raw;
        var ls = logVar.Raw;
        // dw = g_i (x − mu) e^(−lv): dx = −dw, dmu = +dw, dlv = −½ g_i + ½ (x − mu) · dw
        var dw = Scratch(x.Length);
        var dl = Scratch2(x.Length);
        for (int i = 0; i < x.Rows; i++)
        {
            float gi = g[i];
            for (int j = i * d; j < (i + 1) * d; j++)
            {
                float diff = xs[j] - ms[j];
                float w = gi * diff * MathF.Exp(-ls[j]);
                dw[j] = w;
                dl[j] = 0.5f * (diff * w - gi);
            }
        }

        if (x.RequiresGrad)
        {
            var gx = GradOf(x, out bool acc);
            ElementKernels.EmitScaled(dw, -1f, gx, acc);
        }

        if (mean.RequiresGrad)
        {
            var gm = GradOf(mean, out bool acc);
            ElementKernels.Emit(dw, gm, acc);
        }

        if (logVar.RequiresGrad)
        {
            var gl = GradOf(logVar, out bool acc);
            ElementKernels.Emit(dl, gl, acc);
        }
    }

    private void BackwardGaussianKl(Tensor t, Span<float> g)
    {
        Tensor mq = t.Inputs![0], lq = t.Inputs[1], mp = t.Inputs[2], lp = t.Inputs[3];
        int d = mq.Cols;
        var dMean = Scratch(mq.Length);
        var dLogVarP = Scratch2(mq.Length);
        var mqs = mq.Raw;
        var lqs = lq.Raw;
        var mps = mp.Raw;
        var lps = lp.Raw;
        bool needLq = lq.RequiresGrad;
        bool accLq = false;
        Span<float> dLogVarQ = needLq ? GradOf(lq, out accLq) : default;
        for (int i = 0; i < mq.Rows; i++)
        {
            float gi = g[i];
            for (int j = i * d; j < (i + 1) * d; j++)
            {
                float diff = mqs[j] - mps[j];
                float invP = MathF.Exp(-lps[j]);
                float varQ = MathF.Exp(lqs[j]);
                dMean[j] = gi * diff * invP;
                dLogVarP[j] = 0.5f * gi * (1f - (varQ + diff * diff) * invP);
                if (needLq)
                {
                    float v = 0.5f * gi * (varQ * invP - 1f);
                    dLogVarQ[j] = accLq ? dLogVarQ[j] + v : v;
                }
            }
        }

        if (mq.RequiresGrad)
        {
            var gm = GradOf(mq, out bool acc);
            ElementKernels.Emit(dMean, gm, acc);
        }

        if (mp.RequiresGrad)
        {
            var gm = GradOf(mp, out bool acc);
            ElementKernels.EmitScaled(dMean, -1f, gm, acc);
        }

        if (lp.RequiresGrad)
        {
            var gl = GradOf(lp, out bool acc);
            ElementKernels.Emit(dLogVarP, gl, acc);
        }
    }

    private void BackwardStandardNormalKl(Tensor t, Span<float> g)
    {
        Tensor mean = t.A!, logVar = t.B!;
        int d = mean.Cols;
        if (mean.RequiresGrad)
        {
            var gm = GradOf(mean, out bool acc);
            var ms = mean.Raw;
            for (int i = 0; i < mean.Rows; i++) ElementKernels.EmitScaled(ms.Slice(i * d, d), g[i], gm.Slice(i * d, d), acc);
        }

        if (logVar.RequiresGrad)
        {
            var gl = GradOf(logVar, out bool acc);
            var tmp = Scratch(logVar.Length);
            TensorPrimitives.Exp(logVar.Raw, tmp);
            TensorPrimitives.Subtract(tmp, 1f, tmp);
            for (int i = 0; i < mean.Rows; i++) ElementKernels.EmitScaled(tmp.Slice(i * d, d), 0.5f * g[i], gl.Slice(i * d, d), acc);
        }
    }

    private void BackwardReparameterize(Tensor t, Span<float> g)
    {
        Tensor mean = t.A!, logVar = t.B!;
        if (mean.RequiresGrad)
        {
            var gm = GradOf(mean, out bool acc);
            ElementKernels.Emit(g, gm, acc);
        }

        if (logVar.RequiresGrad)
        {
            // dz/dlv = ½ (z − mean)
            var gl = GradOf(logVar, out bool acc);
            var tmp = Scratch(t.Length);
            TensorPrimitives.Subtract(t.Raw, mean.Raw, tmp);
            TensorPrimitives.Multiply(tmp, 0.5f, tmp);
            ElementKernels.EmitProduct(g, tmp, gl, acc);
        }
    }

    private void BackwardEntropy(Tensor t, Span<float> g)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        int n = x.Rows, k = x.Cols;
        var p = t.Aux.AsSpan(0, n * k);
        var lse = t.Aux.AsSpan(n * k, n);
        var gx = GradOf(x, out bool acc);
        var xs = x.Raw;
        var h = t.Raw;
        var row = Scratch(k);
        for (int i = 0; i < n; i++)
        {
            // dH/dx_j = −p_j (log p_j + H)
            TensorPrimitives.Subtract(xs.Slice(i * k, k), lse[i] - h[i], row);
            TensorPrimitives.Multiply(row, p.Slice(i * k, k), row);
            ElementKernels.EmitScaled(row, -g[i], gx.Slice(i * k, k), acc);
        }
    }
}
