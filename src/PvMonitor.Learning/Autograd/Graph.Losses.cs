using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>
    /// Mean cross-entropy (nats) of <paramref name="logits"/> (batch × classes) against integer
    /// <paramref name="labels"/>: mean over rows of −log softmax(logits)[label]. Fused, stable; result 1 × 1.
    /// </summary>
    public Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> labels)
    {
        Check(logits);
        int rows = logits.Rows, cols = logits.Cols;
        if (labels.Length != rows) throw new ArgumentException($"CrossEntropy needs one label per row: {rows} rows, {labels.Length} labels.");
        var t = NewNode(OpCode.CrossEntropy, 1, 1, 2, Tracks(logits));
        var probs = Ensure(ref t.Aux, rows * cols + rows);
        var lse = probs.AsSpan(rows * cols, rows);
        RowLogSumExp(logits.Raw, rows, cols, lse, probs, exponentials: true);
        var ints = Ensure(ref t.Ints, rows);
        var x = logits.Raw;
        double loss = 0;
        for (int i = 0; i < rows; i++)
        {
            CheckLabel(labels[i], cols);
            ints[i] = labels[i];
            loss += lse[i] - x[i * cols + labels[i]];
        }

        t.Raw[0] = rows == 0 ? 0f : (float)(loss / rows);
        t.A = logits;
        return t;
    }

    /// <summary>Mean squared error over all elements of equal-shaped tensors (1 × 1).</summary>
    public Tensor MseLoss(Tensor prediction, Tensor target)
    {
        var d = Sub(prediction, target);
        return Mean(Square(d));
    }

    private void BackwardCrossEntropy(Tensor t)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        int rows = x.Rows, cols = x.Cols;
        float scale = GradSpan(t)[0] / Math.Max(1, rows);
        var gx = GradOf(x, out bool acc);
        var p = t.Aux.AsSpan(0, rows * cols);
        var ints = t.Ints!;
        if (acc)
        {
            TensorPrimitives.FusedMultiplyAdd(p, scale, gx, gx);
        }
        else
        {
            TensorPrimitives.Multiply(p, scale, gx);
        }

        for (int i = 0; i < rows; i++) gx[i * cols + ints[i]] -= scale;
    }
}
