using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>
    /// Matrix product op(a)·op(b), where op transposes when asked: a is m×k (k×m if <paramref name="transposeA"/>),
    /// b is k×n (n×k if <paramref name="transposeB"/>); the result is m×n.
    /// </summary>
    public Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        Check(a);
        Check(b);
        int m = transposeA ? a.Cols : a.Rows, ka = transposeA ? a.Rows : a.Cols;
        int kb = transposeB ? b.Cols : b.Rows, n = transposeB ? b.Rows : b.Cols;
        if (ka != kb) throw new ArgumentException($"MatMul shapes do not fit: {a.ShapeString}{(transposeA ? "ᵀ" : "")} · {b.ShapeString}{(transposeB ? "ᵀ" : "")}.");
        var t = NewNode(OpCode.MatMul, m, n, 2, Tracks(a, b));
        Gemm.Multiply(a.Raw, transposeA, b.Raw, transposeB, t.Raw, m, n, ka, false);
        t.A = a;
        t.B = b;
        t.I0 = (transposeA ? 1 : 0) | (transposeB ? 2 : 0);
        return t;
    }

    /// <summary>
    /// Affine map x·W + b: <paramref name="x"/> is batch × in, <paramref name="weight"/> is in × out, optional
    /// <paramref name="bias"/> has out elements (vector or 1 × out). One fused kernel forward and backward.
    /// </summary>
    public Tensor Linear(Tensor x, Tensor weight, Tensor? bias) => Linear(x, weight, bias, relu: false);

    /// <summary>max(x·W + b, 0): <see cref="Linear(Tensor, Tensor, Tensor?)"/> and ReLU fused into the product's store.</summary>
    public Tensor LinearRelu(Tensor x, Tensor weight, Tensor? bias) => Linear(x, weight, bias, relu: true);

    private Tensor Linear(Tensor x, Tensor weight, Tensor? bias, bool relu)
    {
        Check(x);
        Check(weight);
        if (bias is not null) Check(bias);
        if (x.Cols != weight.Rows) throw new ArgumentException($"Linear: input {x.ShapeString} does not fit weight {weight.ShapeString} (in × out).");
        if (bias is not null && (bias.Length != weight.Cols || bias.Rows != 1)) throw new ArgumentException($"Linear: bias {bias.ShapeString} does not fit {weight.Cols} outputs.");
        bool tracks = GradientsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        var t = NewNode(relu ? OpCode.LinearRelu : OpCode.Linear, x.Rows, weight.Cols, 2, tracks);
        Gemm.Multiply(x.Raw, false, weight.Raw, false, t.Raw, x.Rows, weight.Cols, x.Cols, false, bias is null ? default : bias.Raw, relu);
        t.A = x;
        t.B = weight;
        t.C = bias;
        return t;
    }

    private void BackwardMatMul(Tensor t)
    {
        var a = t.A!;
        var b = t.B!;
        bool ta = (t.I0 & 1) != 0, tb = (t.I0 & 2) != 0;
        int m = t.Rows, n = t.Cols, k = ta ? a.Rows : a.Cols;
        var g = GradSpan(t);
        if (a.RequiresGrad)
        {
            var ga = GradOf(a, out bool acc);
            if (!ta) Gemm.Multiply(g, false, b.Raw, !tb, ga, m, k, n, acc); // dA = G·op(B)ᵀ
            else Gemm.Multiply(b.Raw, tb, g, true, ga, k, m, n, acc); // dAᵀ = op(B)·Gᵀ
        }

        if (b.RequiresGrad)
        {
            var gb = GradOf(b, out bool acc);
            if (!tb) Gemm.Multiply(a.Raw, !ta, g, false, gb, k, n, m, acc); // dB = op(A)ᵀ·G
            else Gemm.Multiply(g, true, a.Raw, ta, gb, n, k, m, acc); // dBᵀ = Gᵀ·op(A)
        }
    }

    private void BackwardLinear(Tensor t)
    {
        var x = t.A!;
        var w = t.B!;
        var bias = t.C;
        int batch = t.Rows, outs = t.Cols, ins = x.Cols;
        Span<float> g = GradSpan(t);
        if (t.Op == OpCode.LinearRelu)
        {
            // gradient through the fused ReLU: zero where the output was clamped (y == 0 ⇔ pre-activation ≤ 0)
            var masked = Scratch(t.Length);
            ElementKernels.Backward<ReluGrad>(g, t.Raw, t.Raw, masked, false, 0f);
            g = masked;
        }
        if (x.RequiresGrad)
        {
            var gx = GradOf(x, out bool acc);
            Gemm.Multiply(g, false, w.Raw, true, gx, batch, ins, outs, acc);
        }

        if (w.RequiresGrad)
        {
            var gw = GradOf(w, out bool acc);
            Gemm.Multiply(x.Raw, true, g, false, gw, ins, outs, batch, acc);
        }

        if (bias is not null && bias.RequiresGrad)
        {
            var gb = GradOf(bias, out bool acc);
            ColumnSums(g, batch, outs, gb, acc);
        }
    }
}
