using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>
    /// a + b. Broadcasting: each operand is either the full result shape, a row (1 × n or a vector of n, repeated for
    /// every row), a column (m × 1, repeated for every column) or a single element.
    /// </summary>
    public Tensor Add(Tensor a, Tensor b) => Binary(OpCode.Add, a, b);

    /// <summary>a − b with broadcasting (see <see cref="Add"/>).</summary>
    public Tensor Sub(Tensor a, Tensor b) => Binary(OpCode.Sub, a, b);

    /// <summary>a ⊙ b (elementwise) with broadcasting (see <see cref="Add"/>).</summary>
    public Tensor Mul(Tensor a, Tensor b) => Binary(OpCode.Mul, a, b);

    /// <summary>a ⊘ b (elementwise) with broadcasting (see <see cref="Add"/>).</summary>
    public Tensor Div(Tensor a, Tensor b) => Binary(OpCode.Div, a, b);

    /// <summary>x + s.</summary>
    public Tensor AddScalar(Tensor x, float s) => ScaleAdd(x, 1f, s);

    /// <summary>x · s.</summary>
    public Tensor Scale(Tensor x, float s) => ScaleAdd(x, s, 0f);

    /// <summary>x · <paramref name="scale"/> + <paramref name="shift"/> in one pass.</summary>
    public Tensor ScaleAdd(Tensor x, float scale, float shift)
    {
        Check(x);
        var t = NewNode(OpCode.ScaleAdd, x.Rows, x.Cols, x.Rank, Tracks(x));
        TensorPrimitives.Multiply(x.Raw, scale, t.Raw);
        if (shift != 0f) TensorPrimitives.Add(t.Raw, shift, t.Raw);
        t.A = x;
        t.S0 = scale;
        t.S1 = shift;
        return t;
    }

    /// <summary><paramref name="wa"/>·a + <paramref name="wb"/>·b for same-shaped a and b, in one pass (e.g. weighted loss terms).</summary>
    public Tensor WeightedSum(Tensor a, float wa, Tensor b, float wb)
    {
        Check(a);
        Check(b);
        if (!a.SameShape(b)) throw new ArgumentException($"WeightedSum needs equal shapes, got {a.ShapeString} and {b.ShapeString}.");
        var t = NewNode(OpCode.WeightedSum, a.Rows, a.Cols, a.Rank, Tracks(a, b));
        var d = t.Raw;
        TensorPrimitives.Multiply(a.Raw, wa, d);
        TensorPrimitives.FusedMultiplyAdd(b.Raw, wb, d, d);
        t.A = a;
        t.B = b;
        t.S0 = wa;
        t.S1 = wb;
        return t;
    }

    private Tensor Binary(OpCode op, Tensor a, Tensor b)
    {
        Check(a);
        Check(b);
        int rows = Math.Max(a.Rows, b.Rows), cols = Math.Max(a.Cols, b.Cols);
        if (!Fits(a, rows, cols) || !Fits(b, rows, cols))
            throw new ArgumentException($"{op}: shapes {a.ShapeString} and {b.ShapeString} do not broadcast (each operand must be full, a row, a column or one element).");
        int rank = a.Rank == 1 && b.Rank == 1 ? 1 : 2;
        var t = NewNode(op, rows, cols, rank, Tracks(a, b));
        var d = t.Raw;
        var ad = a.Raw;
        var bd = b.Raw;
        if (a.Length == d.Length && b.Length == d.Length)
        {
            Apply(op, ad, bd, d);
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                var di = d.Slice(i * cols, cols);
                bool aSpan = a.Cols == cols, bSpan = b.Cols == cols;
                int ai = a.Rows == 1 ? 0 : i, bi = b.Rows == 1 ? 0 : i;
                if (aSpan && bSpan) Apply(op, ad.Slice(ai * cols, cols), bd.Slice(bi * cols, cols), di);
                else if (aSpan) Apply(op, ad.Slice(ai * cols, cols), bd[bi], di);
                else if (bSpan) Apply(op, ad[ai], bd.Slice(bi * cols, cols), di);
                else di.Fill(Apply(op, ad[ai], bd[bi]));
            }
        }

        t.A = a;
        t.B = b;
        return t;
    }

    private static bool Fits(Tensor x, int rows, int cols) => (x.Rows == rows || x.Rows == 1) && (x.Cols == cols || x.Cols == 1);

    private static void Apply(OpCode op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d)
    {
        switch (op)
        {
            case OpCode.Add: TensorPrimitives.Add(a, b, d); break;
            case OpCode.Sub: TensorPrimitives.Subtract(a, b, d); break;
            case OpCode.Mul: TensorPrimitives.Multiply(a, b, d); break;
            default: TensorPrimitives.Divide(a, b, d); break;
        }
    }

    private static void Apply(OpCode op, ReadOnlySpan<float> a, float b, Span<float> d)
    {
        switch (op)
        {
            case OpCode.Add: TensorPrimitives.Add(a, b, d); break;
            case OpCode.Sub: TensorPrimitives.Subtract(a, b, d); break;
            case OpCode.Mul: TensorPrimitives.Multiply(a, b, d); break;
            default: TensorPrimitives.Divide(a, b, d); break;
        }
    }

    private static void Apply(OpCode op, float a, ReadOnlySpan<float> b, Span<float> d)
    {
        switch (op)
        {
            case OpCode.Add: TensorPrimitives.Add(b, a, d); break;
            case OpCode.Sub: TensorPrimitives.Subtract(a, b, d); break;
            case OpCode.Mul: TensorPrimitives.Multiply(b, a, d); break;
            default: TensorPrimitives.Divide(a, b, d); break;
        }
    }

    private static float Apply(OpCode op, float a, float b) => op switch
    {
        OpCode.Add => a + b,
        OpCode.Sub => a - b,
        OpCode.Mul => a * b,
        _ => a / b,
    };

    private void BackwardScaleAdd(Tensor t)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        var gx = GradOf(x, out bool acc);
        ElementKernels.EmitScaled(GradSpan(t), t.S0, gx, acc);
    }

    private void BackwardWeightedSum(Tensor t)
    {
        var g = GradSpan(t);
        if (t.A!.RequiresGrad)
        {
            var ga = GradOf(t.A, out bool acc);
            ElementKernels.EmitScaled(g, t.S0, ga, acc);
        }

        if (t.B!.RequiresGrad)
        {
            var gb = GradOf(t.B, out bool acc);
            ElementKernels.EmitScaled(g, t.S1, gb, acc);
        }
    }

    private void BackwardBinary(Tensor t)
    {
        var a = t.A!;
        var b = t.B!;
        var g = GradSpan(t);
        int n = t.Length;
        if (a.RequiresGrad)
        {
            // dL/da = g (add, sub), g ⊙ b (mul), g ⊘ b (div)
            ReadOnlySpan<float> ga = t.Op switch
            {
                OpCode.Add or OpCode.Sub => g,
                _ => Combine(t.Op == OpCode.Mul ? OpCode.Mul : OpCode.Div, g, b, t.Rows, t.Cols, Scratch(n)),
            };
            ReduceInto(a, ga, t.Rows, t.Cols);
        }

        if (b.RequiresGrad)
        {
            // dL/db = g (add), −g (sub), g ⊙ a (mul), −g ⊙ y ⊘ b (div)
            Span<float> gb;
            switch (t.Op)
            {
                case OpCode.Add:
                    ReduceInto(b, g, t.Rows, t.Cols);
                    return;
                case OpCode.Sub:
                    gb = Scratch(n);
                    TensorPrimitives.Negate(g, gb);
                    break;
                case OpCode.Mul:
                    gb = Combine(OpCode.Mul, g, a, t.Rows, t.Cols, Scratch(n));
                    break;
                default:
                    gb = Scratch(n);
                    TensorPrimitives.Multiply(g, t.Raw, gb);
                    TensorPrimitives.Negate(gb, gb);
                    Combine(OpCode.Div, gb, b, t.Rows, t.Cols, gb);
                    break;
            }

            ReduceInto(b, gb, t.Rows, t.Cols);
        }
    }

    /// <summary>dst = g (op) broadcast(x) over a rows × cols result.</summary>
    private static Span<float> Combine(OpCode op, ReadOnlySpan<float> g, Tensor x, int rows, int cols, Span<float> dst)
    {
        var xd = x.Raw;
        if (x.Length == g.Length)
        {
            Apply(op, g, xd, dst);
            return dst;
        }

        for (int i = 0; i < rows; i++)
        {
            var gi = g.Slice(i * cols, cols);
            var di = dst.Slice(i * cols, cols);
            int xi = x.Rows == 1 ? 0 : i;
            if (x.Cols == cols) Apply(op, gi, xd.Slice(xi * cols, cols), di);
            else Apply(op, gi, xd[xi], di);
        }

        return dst;
    }

    /// <summary>Adds a full rows × cols gradient into x's gradient, summing over the dimensions x was broadcast along.</summary>
    private void ReduceInto(Tensor x, ReadOnlySpan<float> full, int rows, int cols)
    {
        var gx = GradOf(x, out bool acc);
        if (x.Length == full.Length)
        {
            ElementKernels.Emit(full, gx, acc);
        }
        else if (x.Cols == cols)
        {
            ColumnSums(full, rows, cols, gx, acc); // x is a row
        }
        else if (x.Rows == rows)
        {
            for (int i = 0; i < rows; i++) // x is a column
            {
                float s = TensorPrimitives.Sum(full.Slice(i * cols, cols));
                gx[i] = acc ? gx[i] + s : s;
            }
        }
        else
        {
            float s = TensorPrimitives.Sum(full);
            gx[0] = acc ? gx[0] + s : s;
        }
    }

    /// <summary>dst[j] (+)= Σ_i src[i, j].</summary>
    internal static void ColumnSums(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst, bool accumulate)
    {
        if (!accumulate) dst.Slice(0, cols).Clear();
        var d = dst.Slice(0, cols);
        for (int i = 0; i < rows; i++) TensorPrimitives.Add(d, src.Slice(i * cols, cols), d);
    }
}
