using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>Sum of all elements (1 × 1).</summary>
    public Tensor Sum(Tensor x) => Reduce(OpCode.Sum, x, 1f);

    /// <summary>Mean of all elements (1 × 1).</summary>
    public Tensor Mean(Tensor x) => Reduce(OpCode.Sum, x, 1f / Math.Max(1, x.Length));

    /// <summary>Sum over the features of each row (rows × 1).</summary>
    public Tensor RowSum(Tensor x) => Reduce(OpCode.RowSum, x, 1f);

    /// <summary>Mean over the features of each row (rows × 1).</summary>
    public Tensor RowMean(Tensor x) => Reduce(OpCode.RowSum, x, 1f / Math.Max(1, x.Cols));

    /// <summary>Sum over the rows (batch) for each feature (1 × cols).</summary>
    public Tensor ColumnSum(Tensor x) => Reduce(OpCode.ColumnSum, x, 1f);

    /// <summary>Mean over the rows (batch) for each feature (1 × cols).</summary>
    public Tensor ColumnMean(Tensor x) => Reduce(OpCode.ColumnSum, x, 1f / Math.Max(1, x.Rows));

    /// <summary>Softmax over the features of each row.</summary>
    public Tensor Softmax(Tensor x)
    {
        Check(x);
        var t = NewNode(OpCode.Softmax, x.Rows, x.Cols, x.Rank, Tracks(x));
        var lse = Ensure(ref t.Aux, x.Rows);
        RowLogSumExp(x.Raw, x.Rows, x.Cols, lse, t.Raw, exponentials: true);
        t.A = x;
        return t;
    }

    /// <summary>log-softmax over the features of each row: x − log Σ exp(x), computed stably.</summary>
    public Tensor LogSoftmax(Tensor x)
    {
        Check(x);
        var t = NewNode(OpCode.LogSoftmax, x.Rows, x.Cols, x.Rank, Tracks(x));
        var lse = Ensure(ref t.Aux, x.Rows);
        var y = t.Raw;
        RowLogSumExp(x.Raw, x.Rows, x.Cols, lse, y, exponentials: false);
        var xs = x.Raw;
        for (int i = 0; i < x.Rows; i++) TensorPrimitives.Subtract(xs.Slice(i * x.Cols, x.Cols), lse[i], y.Slice(i * x.Cols, x.Cols));
        t.A = x;
        return t;
    }

    /// <summary>log Σⱼ exp(x[i, j]) for each row (rows × 1), computed stably.</summary>
    public Tensor LogSumExp(Tensor x)
    {
        Check(x);
        var t = NewNode(OpCode.LogSumExp, x.Rows, 1, 2, Tracks(x));
        var tmp = Ensure(ref t.Aux, x.Length);
        RowLogSumExp(x.Raw, x.Rows, x.Cols, t.Raw, tmp, exponentials: false);
        t.A = x;
        return t;
    }

    /// <summary>
    /// lse[i] = log Σⱼ exp(x[i, j]). <paramref name="work"/> (rows × cols) receives exp(x − max) or, with
    /// <paramref name="exponentials"/>, the softmax.
    /// </summary>
    internal static void RowLogSumExp(ReadOnlySpan<float> x, int rows, int cols, Span<float> lse, Span<float> work, bool exponentials)
    {
        var w = work.Slice(0, rows * cols);
        for (int i = 0; i < rows; i++)
        {
            var xi = x.Slice(i * cols, cols);
            float max = cols == 0 ? 0f : TensorPrimitives.Max(xi);
            if (float.IsNegativeInfinity(max)) max = 0f;
            lse[i] = max;
            TensorPrimitives.Subtract(xi, max, w.Slice(i * cols, cols));
        }

        FastMath.Exp(w, w);
        for (int i = 0; i < rows; i++)
        {
            var wi = w.Slice(i * cols, cols);
            float s = TensorPrimitives.Sum(wi);
            if (exponentials) TensorPrimitives.Multiply(wi, 1f / s, wi);
            lse[i] += MathF.Log(s);
        }
    }

    private Tensor Reduce(OpCode op, Tensor x, float scale)
    {
        Check(x);
        int rows = op == OpCode.RowSum ? x.Rows : 1;
        int cols = op == OpCode.ColumnSum ? x.Cols : 1;
        var t = NewNode(op, rows, cols, 2, Tracks(x));
        var d = t.Raw;
        var xs = x.Raw;
        switch (op)
        {
            case OpCode.Sum:
                d[0] = scale * TensorPrimitives.Sum(xs);
                break;
            case OpCode.RowSum:
                if (x.Cols == 1) TensorPrimitives.Multiply(xs, scale, d);
                else RowSums(xs, x.Rows, x.Cols, d, scale, 0f);
                break;
            default:
                ColumnSums(xs, x.Rows, x.Cols, d, false);
                if (scale != 1f) TensorPrimitives.Multiply(d, scale, d);
                break;
        }

        t.A = x;
        t.S0 = scale;
        return t;
    }

    private void BackwardReduce(Tensor t)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        var g = GradSpan(t);
        var gx = GradOf(x, out bool acc);
        int rows = x.Rows, cols = x.Cols;
        switch (t.Op)
        {
            case OpCode.Sum:
                if (acc) TensorPrimitives.Add(gx, t.S0 * g[0], gx);
                else gx.Fill(t.S0 * g[0]);
                break;
            case OpCode.RowSum:
                for (int i = 0; i < rows; i++)
                {
                    var gi = gx.Slice(i * cols, cols);
                    float v = t.S0 * g[i];
                    if (acc) TensorPrimitives.Add(gi, v, gi);
                    else gi.Fill(v);
                }

                break;
            default:
                for (int i = 0; i < rows; i++)
                {
                    var gi = gx.Slice(i * cols, cols);
                    ElementKernels.EmitScaled(g, t.S0, gi, acc);
                }

                break;
        }
    }

    private void BackwardSoftmaxFamily(Tensor t)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        var g = GradSpan(t);
        var gx = GradOf(x, out bool acc);
        int rows = x.Rows, cols = x.Cols;
        var y = t.Raw;
        switch (t.Op)
        {
            case OpCode.Softmax:
            {
                // dx = y ⊙ (g − Σ g⊙y)
                var tmp = Scratch(cols);
                for (int i = 0; i < rows; i++)
                {
                    var yi = y.Slice(i * cols, cols);
                    var gi = g.Slice(i * cols, cols);
                    float dot = TensorPrimitives.Dot(gi, yi);
                    TensorPrimitives.Subtract(gi, dot, tmp);
                    ElementKernels.EmitProduct(tmp, yi, gx.Slice(i * cols, cols), acc);
                }

                break;
            }

            case OpCode.LogSoftmax:
            {
                // dx = g − softmax · Σ g
                var p = Scratch(rows * cols);
                FastMath.Exp(y, p);
                for (int i = 0; i < rows; i++)
                {
                    var pi = p.Slice(i * cols, cols);
                    var gi = g.Slice(i * cols, cols);
                    TensorPrimitives.MultiplyAdd(pi, -TensorPrimitives.Sum(gi), gi, pi);
                }

                ElementKernels.Emit(p, gx, acc);
                break;
            }

            default:
            {
                // LogSumExp: dx = g_i · exp(x − lse_i)
                var p = Scratch(rows * cols);
                var xs = x.Raw;
                for (int i = 0; i < rows; i++) TensorPrimitives.Subtract(xs.Slice(i * cols, cols), y[i], p.Slice(i * cols, cols));
                FastMath.Exp(p, p);
                for (int i = 0; i < rows; i++)
                {
                    var pi = p.Slice(i * cols, cols);
                    ElementKernels.EmitScaled(pi, g[i], gx.Slice(i * cols, cols), acc);
                }

                break;
            }
        }
    }
}
