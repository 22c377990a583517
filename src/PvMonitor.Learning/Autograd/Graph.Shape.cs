using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>Concatenates along the features: all parts have the same rows; the result has the summed columns.</summary>
    public Tensor Concat(params ReadOnlySpan<Tensor> parts)
    {
        if (parts.Length == 0) throw new ArgumentException("Concat needs at least one tensor.", nameof(parts));
        int rows = parts[0].Rows, cols = 0;
        bool tracks = false;
        foreach (var p in parts)
        {
            Check(p);
            if (p.Rows != rows) throw new ArgumentException($"Concat needs equal rows, got {parts[0].ShapeString} and {p.ShapeString}.");
            cols += p.Cols;
            tracks |= p.RequiresGrad;
        }

        var t = NewNode(OpCode.Concat, rows, cols, 2, GradientsEnabled && tracks);
        var d = t.Raw;
        int c0 = 0;
        foreach (var p in parts)
        {
            var src = p.Raw;
            int pc = p.Cols;
            for (int i = 0; i < rows; i++) src.Slice(i * pc, pc).CopyTo(d.Slice(i * cols + c0, pc));
            c0 += pc;
        }

        if (t.Inputs is null || t.Inputs.Length < parts.Length) t.Inputs = new Tensor[Math.Max(4, parts.Length)];
        parts.CopyTo(t.Inputs);
        t.InputCount = parts.Length;
        return t;
    }

    /// <summary>Rows [start, start + count) as a view (no copy).</summary>
    public Tensor SliceRows(Tensor x, int start, int count)
    {
        Check(x);
        if (start < 0 || count < 0 || start + count > x.Rows) throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside {x.ShapeString}.");
        var t = NewView(OpCode.View, x, x.Offset + start * x.Cols, count, x.Cols, x.Rank, Tracks(x));
        t.A = x;
        t.I0 = start * x.Cols;
        return t;
    }

    /// <summary>Columns [start, start + count) (a copy).</summary>
    public Tensor SliceCols(Tensor x, int start, int count)
    {
        Check(x);
        if (start < 0 || count < 0 || start + count > x.Cols) throw new ArgumentOutOfRangeException(nameof(start), $"Columns [{start}, {start + count}) are outside {x.ShapeString}.");
        var t = NewNode(OpCode.SliceCols, x.Rows, count, 2, Tracks(x));
        var d = t.Raw;
        var s = x.Raw;
        for (int i = 0; i < x.Rows; i++) s.Slice(i * x.Cols + start, count).CopyTo(d.Slice(i * count, count));
        t.A = x;
        t.I0 = start;
        return t;
    }

    /// <summary>The same values as a <paramref name="rows"/> × <paramref name="cols"/> matrix (a view; row-major order kept).</summary>
    public Tensor Reshape(Tensor x, int rows, int cols)
    {
        Check(x);
        if ((long)rows * cols != x.Length) throw new ArgumentException($"Cannot reshape {x.ShapeString} to [{rows}, {cols}].");
        var t = NewView(OpCode.View, x, x.Offset, rows, cols, 2, Tracks(x));
        t.A = x;
        t.I0 = 0;
        return t;
    }

    /// <summary>The same values with no gradient flowing back (a view).</summary>
    public Tensor Detach(Tensor x)
    {
        Check(x);
        return NewView(OpCode.Constant, x, x.Offset, x.Rows, x.Cols, x.Rank, false);
    }

    /// <summary>The transpose (a copy).</summary>
    public Tensor Transpose(Tensor x)
    {
        Check(x);
        var t = NewNode(OpCode.Transpose, x.Cols, x.Rows, 2, Tracks(x));
        Transpose(x.Raw, x.Rows, x.Cols, t.Raw, false);
        t.A = x;
        return t;
    }

    /// <summary>Each row repeated <paramref name="times"/> times in place: copy k of row b is row b·times + k.</summary>
    public Tensor RepeatRows(Tensor x, int times) => Repeat(OpCode.RepeatRows, x, times);

    /// <summary>The whole matrix stacked <paramref name="times"/> times: copy k of row b is row k·rows + b.</summary>
    public Tensor TileRows(Tensor x, int times) => Repeat(OpCode.TileRows, x, times);

    /// <summary>x[i, index[i]] for every row (rows × 1).</summary>
    public Tensor Gather(Tensor x, ReadOnlySpan<int> index)
    {
        Check(x);
        if (index.Length != x.Rows) throw new ArgumentException($"Gather needs one index per row: {x.Rows} rows, {index.Length} indices.");
        var t = NewNode(OpCode.Gather, x.Rows, 1, 2, Tracks(x));
        var ints = Ensure(ref t.Ints, index.Length);
        var d = t.Raw;
        var s = x.Raw;
        for (int i = 0; i < index.Length; i++)
        {
            CheckLabel(index[i], x.Cols);
            ints[i] = index[i];
            d[i] = s[i * x.Cols + index[i]];
        }

        t.A = x;
        return t;
    }

    private Tensor Repeat(OpCode op, Tensor x, int times)
    {
        Check(x);
        if (times < 1) throw new ArgumentOutOfRangeException(nameof(times));
        int rows = x.Rows, cols = x.Cols;
        var t = NewNode(op, rows * times, cols, 2, Tracks(x));
        var d = t.Raw;
        var s = x.Raw;
        if (op == OpCode.TileRows)
        {
            for (int k = 0; k < times; k++) s.CopyTo(d.Slice(k * s.Length));
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                var row = s.Slice(i * cols, cols);
                for (int k = 0; k < times; k++) row.CopyTo(d.Slice((i * times + k) * cols, cols));
            }
        }

        t.A = x;
        t.I0 = times;
        return t;
    }

    internal static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst, bool accumulate)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[j * rows + i] = accumulate ? dst[j * rows + i] + src[i * cols + j] : src[i * cols + j];
    }

    private void BackwardShape(Tensor t)
    {
        var g = GradSpan(t);
        switch (t.Op)
        {
            case OpCode.View:
            {
                var x = t.A!;
                if (!x.RequiresGrad) return;
                if (t.Length == x.Length)
                {
                    var gx = GradOf(x, out bool acc);
                    ElementKernels.Emit(g, gx, acc);
                }
                else
                {
                    var gx = GradForScatter(x);
                    ElementKernels.Emit(g, gx.Slice(t.I0, t.Length), true);
                }

                break;
            }

            case OpCode.SliceCols:
            {
                var x = t.A!;
                if (!x.RequiresGrad) return;
                var gx = GradForScatter(x);
                int count = t.Cols;
                for (int i = 0; i < t.Rows; i++) ElementKernels.Emit(g.Slice(i * count, count), gx.Slice(i * x.Cols + t.I0, count), true);
                break;
            }

            case OpCode.Concat:
            {
                int c0 = 0;
                for (int k = 0; k < t.InputCount; k++)
                {
                    var p = t.Inputs![k];
                    int pc = p.Cols;
                    if (p.RequiresGrad)
                    {
                        var gp = GradOf(p, out bool acc);
                        for (int i = 0; i < t.Rows; i++) ElementKernels.Emit(g.Slice(i * t.Cols + c0, pc), gp.Slice(i * pc, pc), acc);
                    }

                    c0 += pc;
                }

                break;
            }

            case OpCode.Transpose:
            {
                var x = t.A!;
                if (!x.RequiresGrad) return;
                var gx = GradOf(x, out bool acc);
                Transpose(g, t.Rows, t.Cols, gx, acc);
                break;
            }

            case OpCode.RepeatRows:
            case OpCode.TileRows:
            {
                var x = t.A!;
                if (!x.RequiresGrad) return;
                var gx = GradForScatter(x);
                int rows = x.Rows, cols = x.Cols, times = t.I0;
                for (int r = 0; r < t.Rows; r++)
                {
                    int src = t.Op == OpCode.RepeatRows ? r / times : r % rows;
                    ElementKernels.Emit(g.Slice(r * cols, cols), gx.Slice(src * cols, cols), true);
                }

                break;
            }

            case OpCode.Gather:
            {
                var x = t.A!;
                if (!x.RequiresGrad) return;
                var gx = GradForScatter(x);
                var ints = t.Ints!;
                for (int i = 0; i < t.Rows; i++) gx[i * x.Cols + ints[i]] += g[i];
                break;
            }
        }
    }
}
