using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

/// <summary>
/// A computation graph and its tape: every operation computes its result at once (eagerly) and, when gradients are
/// enabled and an operand requires them, records how to propagate gradients back. <see cref="Backward(Tensor)"/>
/// walks the tape in reverse and accumulates gradients into leaves that require them (parameters).
/// </summary>
/// <remarks>
/// <para>Reuse one graph per training loop: call <see cref="Reset"/> at the start of every step. Result tensors and
/// their gradient buffers are pooled by position on the tape, so a step that repeats the same operations allocates
/// nothing once warmed up. A result is valid until the next <see cref="Reset"/>; using it later throws.</para>
/// <para>With <see cref="GradientsEnabled"/> off (inference) nothing is recorded for backward, but results are still
/// pooled. A graph is not thread-safe; use one per thread.</para>
/// </remarks>
public sealed partial class Graph
{
    private readonly List<Tensor> _nodes = [];
    private int _count;
    private float[] _scratch = [];
    private float[] _scratch2 = [];
    private float[] _scratch3 = [];
    private float[] _scratch4 = [];

    /// <summary>Creates a graph; <paramref name="gradients"/> sets <see cref="GradientsEnabled"/>.</summary>
    public Graph(bool gradients = true) => GradientsEnabled = gradients;

    /// <summary>Whether operations record backward information (default true). Switch it between resets.</summary>
    public bool GradientsEnabled { get; set; }

    /// <summary>Number of results recorded since the last reset.</summary>
    public int NodeCount => _count;

    internal int Generation { get; private set; } = 1;

    /// <summary>Forgets all results (their storage is reused by the next operations).</summary>
    public void Reset()
    {
        Generation++;
        _count = 0;
    }

    /// <summary>
    /// Back-propagates from a scalar (1-element) <paramref name="loss"/>: d loss / d leaf is added to the
    /// <see cref="Tensor.Grad"/> of every leaf that requires gradients and that the loss depends on.
    /// </summary>
    public void Backward(Tensor loss)
    {
        Check(loss);
        if (loss.Length != 1) throw new ArgumentException($"Backward needs a single-element loss, got {loss.ShapeString}; reduce it with Sum or Mean, or pass a seed gradient.", nameof(loss));
        Span<float> seed = [1f];
        Backward(loss, seed);
    }

    /// <summary>Back-propagates from <paramref name="output"/> with the given seed gradient (same number of elements).</summary>
    public void Backward(Tensor output, ReadOnlySpan<float> seed)
    {
        Check(output);
        if (output.Owner != this) throw new ArgumentException("Backward starts from a result of this graph.", nameof(output));
        if (seed.Length != output.Length) throw new ArgumentException($"Seed has {seed.Length} values, output {output.ShapeString} has {output.Length}.", nameof(seed));
        if (!output.RequiresGrad) throw new InvalidOperationException("The output does not depend on anything that requires gradients (or gradients were disabled when it was computed).");
        for (int i = 0; i < _count; i++) _nodes[i].GradWritten = false;
        var g = GradOf(output, out _);
        seed.CopyTo(g);
        for (int i = output.NodeIndex; i >= 0; i--)
        {
            var t = _nodes[i];
            if (t.RequiresGrad && t.GradWritten) BackwardNode(t);
        }
    }

    // ---------------- node pool ----------------

    /// <summary>A pooled result tensor with its own storage of rows × cols.</summary>
    internal Tensor NewNode(OpCode op, int rows, int cols, int rank, bool requiresGrad)
    {
        Tensor.CheckShape(rows, cols);
        var t = NextNode(op, rows, cols, rank, requiresGrad);
        int len = rows * cols;
        if (t.OwnBuffer.Length < len) t.OwnBuffer = new float[RoundUp(len)];
        t.Data = t.OwnBuffer;
        t.Offset = 0;
        return t;
    }

    /// <summary>A pooled result that shares the storage of <paramref name="source"/>.</summary>
    internal Tensor NewView(OpCode op, Tensor source, int offset, int rows, int cols, int rank, bool requiresGrad)
    {
        var t = NextNode(op, rows, cols, rank, requiresGrad);
        t.Data = source.Data;
        t.Offset = offset;
        return t;
    }

    private Tensor NextNode(OpCode op, int rows, int cols, int rank, bool requiresGrad)
    {
        Tensor t;
        if (_count < _nodes.Count)
        {
            t = _nodes[_count];
        }
        else
        {
            t = new Tensor([], 0, 0, 0, 2);
            _nodes.Add(t);
        }

        t.NodeIndex = _count++;
        t.Owner = this;
        t.Generation = Generation;
        t.Op = op;
        t.Rows = rows;
        t.Cols = cols;
        t.Rank = rank;
        t.SetRequiresGradInternal(requiresGrad && GradientsEnabled);
        t.GradWritten = false;
        t.A = t.B = t.C = null;
        t.InputCount = 0;
        return t;
    }

    private static int RoundUp(int n) => (n + 63) & ~63;

    /// <summary>Validates an operand: a leaf, or a live result of this graph.</summary>
    internal void Check(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Owner is null) return;
        if (x.Owner != this) throw new ArgumentException("A tensor from another graph was used as an operand.");
        x.EnsureAlive();
    }

    internal static float[] Ensure(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new float[RoundUp(length)];
        return buffer;
    }

    internal static int[] Ensure(ref int[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new int[RoundUp(length)];
        return buffer;
    }

    /// <summary>Per-graph temporary storage for backward rules (not kept across calls).</summary>
    internal Span<float> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new float[RoundUp(length)];
        return _scratch.AsSpan(0, length);
    }

    internal Span<float> Scratch2(int length)
    {
        if (_scratch2.Length < length) _scratch2 = new float[RoundUp(length)];
        return _scratch2.AsSpan(0, length);
    }

    internal Span<float> Scratch3(int length)
    {
        if (_scratch3.Length < length) _scratch3 = new float[RoundUp(length)];
        return _scratch3.AsSpan(0, length);
    }

    internal Span<float> Scratch4(int length)
    {
        if (_scratch4.Length < length) _scratch4 = new float[RoundUp(length)];
        return _scratch4.AsSpan(0, length);
    }

    // ---------------- gradient targets ----------------

    /// <summary>
    /// The gradient storage of <paramref name="x"/>. For a graph result the first write of a pass overwrites
    /// (<paramref name="accumulate"/> false); later writes and leaves accumulate.
    /// </summary>
    internal Span<float> GradOf(Tensor x, out bool accumulate)
    {
        int len = x.Length;
        if (x.Owner is null)
        {
            x.GradData ??= new float[len];
            accumulate = true;
            return x.GradData.AsSpan(0, len);
        }

        var buf = Ensure(ref x.GradData, len);
        accumulate = x.GradWritten;
        x.GradWritten = true;
        return buf.AsSpan(0, len);
    }

    /// <summary>Gradient storage for rules that add into only part of it: zeroed on the first write of a pass.</summary>
    internal Span<float> GradForScatter(Tensor x)
    {
        var g = GradOf(x, out bool acc);
        if (!acc) g.Clear();
        return g;
    }

    internal static Span<float> GradSpan(Tensor t) => t.GradData.AsSpan(0, t.Length);

    internal bool Tracks(Tensor a) => GradientsEnabled && a.RequiresGrad;

    internal bool Tracks(Tensor a, Tensor b) => GradientsEnabled && (a.RequiresGrad || b.RequiresGrad);

    internal bool Tracks(Tensor a, Tensor b, Tensor c) => GradientsEnabled && (a.RequiresGrad || b.RequiresGrad || c.RequiresGrad);
}
