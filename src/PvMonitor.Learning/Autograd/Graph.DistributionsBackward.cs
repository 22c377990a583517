using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.Intrinsics;
using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
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
        var gRows = RowGradient(g, x.Rows, d);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            for (; k + 8 <= dw.Length; k += 8)
            {
                var gi = Vector256.Create<float>(gRows.Slice(k, 8));
                var diff = Vector256.Create<float>(xs.Slice(k, 8)) - Vector256.Create<float>(ms.Slice(k, 8));
                var w = gi * diff * FastMath.Exp(-Vector256.Create<float>(ls.Slice(k, 8)));
                w.CopyTo(dw.Slice(k, 8));
                (half * (diff * w - gi)).CopyTo(dl.Slice(k, 8));
            }
        }

        for (; k < dw.Length; k++)
        {
            float gi = gRows[k];
            float diff = xs[k] - ms[k];
            float w = gi * diff * MathF.Exp(-ls[k]);
            dw[k] = w;
            dl[k] = 0.5f * (diff * w - gi);
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
        var gRows = RowGradient(g, mq.Rows, d);
        var dLogVarQ = Scratch3(mq.Length);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            for (; k + 8 <= dMean.Length; k += 8)
            {
                var gi = Vector256.Create<float>(gRows.Slice(k, 8));
                var diff = Vector256.Create<float>(mqs.Slice(k, 8)) - Vector256.Create<float>(mps.Slice(k, 8));
                var invP = FastMath.Exp(-Vector256.Create<float>(lps.Slice(k, 8)));
                var varQ = FastMath.Exp(Vector256.Create<float>(lqs.Slice(k, 8)));
                (gi * diff * invP).CopyTo(dMean.Slice(k, 8));
                (half * gi * (Vector256<float>.One - (varQ + diff * diff) * invP)).CopyTo(dLogVarP.Slice(k, 8));
                (half * gi * (varQ * invP - Vector256<float>.One)).CopyTo(dLogVarQ.Slice(k, 8));
            }
        }

        for (; k < dMean.Length; k++)
        {
            float gi = gRows[k];
            float diff = mqs[k] - mps[k];
            float invP = MathF.Exp(-lps[k]);
            float varQ = MathF.Exp(lqs[k]);
            dMean[k] = gi * diff * invP;
            dLogVarP[k] = 0.5f * gi * (1f - (varQ + diff * diff) * invP);
            dLogVarQ[k] = 0.5f * gi * (varQ * invP - 1f);
        }

        if (lq.RequiresGrad)
        {
            var gl = GradOf(lq, out bool acc);
            ElementKernels.Emit(dLogVarQ, gl, acc);
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
            FastMath.Exp(logVar.Raw, tmp);
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
