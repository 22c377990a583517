using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>
    /// Inverted dropout: zeroes each element with probability <paramref name="p"/> (mask drawn from
    /// <paramref name="random"/>) and scales survivors by 1 / (1 − p), so the expectation is unchanged.
    /// </summary>
    public Tensor Dropout(Tensor x, float p, RandomSource random)
    {
        Check(x);
        ArgumentNullException.ThrowIfNull(random);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), "Dropout probability must be in [0, 1).");
        var t = NewNode(OpCode.Dropout, x.Rows, x.Cols, x.Rank, Tracks(x));
        var mask = Ensure(ref t.Aux, x.Length).AsSpan(0, x.Length);
        float keep = 1f / (1f - p);
        random.FillUniform(mask);
        for (int i = 0; i < mask.Length; i++) mask[i] = mask[i] < p ? 0f : keep;
        TensorPrimitives.Multiply(x.Raw, mask, t.Raw);
        t.A = x;
        return t;
    }

    /// <summary>
    /// Batch normalisation with batch statistics (training): per feature, (x − mean) / √(var + eps) · gamma + beta
    /// with the biased batch variance. The batch mean and biased variance are available to the caller through
    /// <see cref="BatchStatistics"/> (to update running statistics).
    /// </summary>
    public Tensor BatchNormTrain(Tensor x, Tensor gamma, Tensor beta, float eps)
    {
        Check(x);
        Check(gamma);
        Check(beta);
        int n = x.Rows, c = x.Cols;
        if (gamma.Length != c || beta.Length != c) throw new ArgumentException($"BatchNorm: gamma/beta must have {c} elements.");
        if (n < 1) throw new ArgumentException("BatchNorm in training mode needs at least one row.");
        var t = NewNode(OpCode.BatchNormTrain, n, c, x.Rank, Tracks(x, gamma, beta));
        var aux = Ensure(ref t.Aux, n * c + 3 * c);
        var xhat = aux.AsSpan(0, n * c);
        var mean = aux.AsSpan(n * c, c);
        var invStd = aux.AsSpan(n * c + c, c);
        var variance = aux.AsSpan(n * c + 2 * c, c);
        var xs = x.Raw;
        ColumnSums(xs, n, c, mean, false);
        TensorPrimitives.Multiply(mean, 1f / n, mean);
        variance.Clear();
        for (int i = 0; i < n; i++)
        {
            var row = xhat.Slice(i * c, c);
            TensorPrimitives.Subtract(xs.Slice(i * c, c), mean, row);
            TensorPrimitives.FusedMultiplyAdd(row, row, variance, variance);
        }

        TensorPrimitives.Multiply(variance, 1f / n, variance);
        TensorPrimitives.Add(variance, eps, invStd);
        TensorPrimitives.ReciprocalSqrt(invStd, invStd);
        var y = t.Raw;
        var gm = gamma.Raw;
        var bt = beta.Raw;
        for (int i = 0; i < n; i++)
        {
            var row = xhat.Slice(i * c, c);
            TensorPrimitives.Multiply(row, invStd, row);
            TensorPrimitives.FusedMultiplyAdd(row, gm, bt, y.Slice(i * c, c));
        }

        t.A = x;
        t.B = gamma;
        t.C = beta;
        t.S0 = eps;
        return t;
    }

    /// <summary>The batch mean and biased batch variance computed by a <see cref="BatchNormTrain"/> result.</summary>
    public static (ReadOnlyMemory<float> Mean, ReadOnlyMemory<float> Variance) BatchStatistics(Tensor batchNormResult)
    {
        if (batchNormResult.Op != OpCode.BatchNormTrain || batchNormResult.Owner is null) throw new ArgumentException("Not a BatchNormTrain result.");
        batchNormResult.EnsureAlive();
        int n = batchNormResult.Rows, c = batchNormResult.Cols;
        return (batchNormResult.Aux.AsMemory(n * c, c), batchNormResult.Aux.AsMemory(n * c + 2 * c, c));
    }

    /// <summary>
    /// Batch normalisation with fixed statistics (evaluation): (x − runningMean) / √(runningVar + eps) · gamma + beta.
    /// Gradients flow to x, gamma and beta; the running statistics are constants.
    /// </summary>
    public Tensor BatchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps)
    {
        Check(x);
        Check(gamma);
        Check(beta);
        int n = x.Rows, c = x.Cols;
        if (gamma.Length != c || beta.Length != c || runningMean.Length != c || runningVar.Length != c)
            throw new ArgumentException($"BatchNorm: parameters and statistics must have {c} elements.");
        var t = NewNode(OpCode.BatchNormEval, n, c, x.Rank, Tracks(x, gamma, beta));
        var aux = Ensure(ref t.Aux, 4 * c);
        var invStd = aux.AsSpan(0, c);
        var scale = aux.AsSpan(c, c);
        var shift = aux.AsSpan(2 * c, c);
        var mean = aux.AsSpan(3 * c, c);
        runningMean.Raw.CopyTo(mean);
        TensorPrimitives.Add(runningVar.Raw, eps, invStd);
        TensorPrimitives.ReciprocalSqrt(invStd, invStd);
        TensorPrimitives.Multiply(gamma.Raw, invStd, scale);
        TensorPrimitives.Multiply(mean, scale, shift);
        TensorPrimitives.Subtract(beta.Raw, shift, shift);
        var xs = x.Raw;
        var y = t.Raw;
        for (int i = 0; i < n; i++) TensorPrimitives.FusedMultiplyAdd(xs.Slice(i * c, c), scale, shift, y.Slice(i * c, c));
        t.A = x;
        t.B = gamma;
        t.C = beta;
        return t;
    }

    private void BackwardDropout(Tensor t)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        var gx = GradOf(x, out bool acc);
        ElementKernels.EmitProduct(GradSpan(t), t.Aux.AsSpan(0, t.Length), gx, acc);
    }

    private void BackwardBatchNormTrain(Tensor t)
    {
        var x = t.A!;
        var gamma = t.B!;
        var beta = t.C!;
        int n = t.Rows, c = t.Cols;
        var g = GradSpan(t);
        var aux = t.Aux!;
        var xhat = aux.AsSpan(0, n * c);
        var invStd = aux.AsSpan(n * c + c, c);
        var sumG = Scratch2(2 * c);
        var sumG0 = sumG.Slice(0, c);
        var sumGx = sumG.Slice(c, c);
        ColumnSums(g, n, c, sumG0, false);
        sumGx.Clear();
        for (int i = 0; i < n; i++) TensorPrimitives.FusedMultiplyAdd(g.Slice(i * c, c), xhat.Slice(i * c, c), sumGx, sumGx);
        if (beta.RequiresGrad)
        {
            var gb = GradOf(beta, out bool acc);
            ElementKernels.Emit(sumG0, gb, acc);
        }

        if (gamma.RequiresGrad)
        {
            var gg = GradOf(gamma, out bool acc);
            ElementKernels.Emit(sumGx, gg, acc);
        }

        if (x.RequiresGrad)
        {
            // dx = gamma·invStd/n · (n·g − Σg − xhat·Σ(g·xhat))
            var gx = GradOf(x, out bool acc);
            var k = Scratch(3 * c);
            var coef = k.Slice(0, c);
            var a = k.Slice(c, c);
            var row = k.Slice(2 * c, c);
            TensorPrimitives.Multiply(gamma.Raw, invStd, coef);
            TensorPrimitives.Multiply(sumG0, -1f / n, a);
            TensorPrimitives.Multiply(sumGx, -1f / n, sumGx);
            for (int i = 0; i < n; i++)
            {
                // row = (g + a + xhat·b) ⊙ coef with b = −Σ(g·xhat)/n
                TensorPrimitives.FusedMultiplyAdd(xhat.Slice(i * c, c), sumGx, a, row);
                TensorPrimitives.Add(row, g.Slice(i * c, c), row);
                ElementKernels.EmitProduct(row, coef, gx.Slice(i * c, c), acc);
            }
        }
    }

    private void BackwardBatchNormEval(Tensor t)
    {
        var x = t.A!;
        var gamma = t.B!;
        var beta = t.C!;
        int n = t.Rows, c = t.Cols;
        var g = GradSpan(t);
        var aux = t.Aux!;
        var invStd = aux.AsSpan(0, c);
        var scale = aux.AsSpan(c, c);
        var mean = aux.AsSpan(3 * c, c);
        if (beta.RequiresGrad)
        {
            var gb = GradOf(beta, out bool acc);
            ColumnSums(g, n, c, gb, acc);
        }

        if (gamma.RequiresGrad)
        {
            var gg = GradOf(gamma, out bool acc);
            if (!acc) gg.Clear();
            var row = Scratch(c);
            var xs = x.Raw;
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Subtract(xs.Slice(i * c, c), mean, row);
                TensorPrimitives.Multiply(row, invStd, row);
                TensorPrimitives.FusedMultiplyAdd(row, g.Slice(i * c, c), gg, gg);
            }
        }

        if (x.RequiresGrad)
        {
            var gx = GradOf(x, out bool acc);
            for (int i = 0; i < n; i++) ElementKernels.EmitProduct(g.Slice(i * c, c), scale, gx.Slice(i * c, c), acc);
        }
    }
}
