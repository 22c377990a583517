using System.Runtime.CompilerServices;
using PvMonitor.Learning.Autograd;

namespace PvMonitor.Learning.Tensors;

/// <summary>
/// A dense float32 tensor: a batch-major matrix (<see cref="Rank"/> 2, <c>Rows × Cols</c>, row-major) or a vector
/// (<see cref="Rank"/> 1, stored as one row). Values live in a contiguous region of a float array.
/// </summary>
/// <remarks>
/// Tensors come from two places. <b>Leaves</b> are created by the static factories (<see cref="Zeros(int, int)"/>,
/// <see cref="FromArray(float[], int, int)"/>, <see cref="Parameter(int, int)"/> …) and live as long as you hold them.
/// <b>Graph tensors</b> are the results of operations on a <see cref="Graph"/>; their storage is pooled by that graph
/// and is valid only until its next <see cref="Graph.Reset"/> (using one afterwards throws). Copy out what you keep
/// with <see cref="ToArray"/> or <see cref="Clone"/>.
/// </remarks>
public sealed partial class Tensor
{
    internal float[] Data;
    internal int Offset;
    private Tensor? _gradView;

    // ---- autograd bookkeeping (graph tensors only) ----
    internal Graph? Owner;
    internal int Generation;
    internal int NodeIndex;
    internal OpCode Op;
    internal Tensor? A;
    internal Tensor? B;
    internal Tensor? C;
    internal float S0;
    internal float S1;
    internal int I0;
    internal float[] OwnBuffer = [];
    internal float[]? Aux;
    internal int[]? Ints;
    internal Tensor[]? Inputs;
    internal int InputCount;

    /// <summary>Gradient storage: persistent for leaves, pooled for graph tensors (offset 0, contiguous).</summary>
    internal float[]? GradData;

    /// <summary>For graph tensors: whether <see cref="GradData"/> holds this backward pass's value yet.</summary>
    internal bool GradWritten;

    internal Tensor(float[] data, int offset, int rows, int cols, int rank)
    {
        Data = data;
        Offset = offset;
        Rows = rows;
        Cols = cols;
        Rank = rank;
    }

    /// <summary>Number of rows (1 for a vector).</summary>
    public int Rows { get; internal set; }

    /// <summary>Number of columns (features); the length of a vector.</summary>
    public int Cols { get; internal set; }

    /// <summary>1 for a vector, 2 for a matrix. A vector broadcasts like a <c>1 × Cols</c> row.</summary>
    public int Rank { get; internal set; }

    /// <summary>Number of elements.</summary>
    public int Length => Rows * Cols;

    /// <summary>Whether gradients flow to this tensor. Settable on leaves only (parameters are created with it on).</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Owner is not null) throw new InvalidOperationException("RequiresGrad can only be set on leaf tensors, not on graph results.");
            _requiresGrad = value;
        }
    }

    private bool _requiresGrad;

    internal void SetRequiresGradInternal(bool value) => _requiresGrad = value;

    /// <summary>True for results of graph operations (pooled, valid until the graph's next reset).</summary>
    public bool IsGraphTensor => Owner is not null;

    /// <summary>The values, row-major.</summary>
    public Span<float> Span
    {
        get
        {
            EnsureAlive();
            return Data.AsSpan(Offset, Rows * Cols);
        }
    }

    /// <summary>Row <paramref name="row"/> as a span of length <see cref="Cols"/>.</summary>
    public Span<float> RowSpan(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        EnsureAlive();
        return Data.AsSpan(Offset + row * Cols, Cols);
    }

    /// <summary>Element at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public float this[int row, int col]
    {
        get => Span[Index(row, col)];
        set => Span[Index(row, col)] = value;
    }

    /// <summary>Element <paramref name="i"/> of a vector, or of the flattened row-major matrix.</summary>
    public float this[int i]
    {
        get => Span[i];
        set => Span[i] = value;
    }

    /// <summary>
    /// The accumulated gradient of a leaf that requires gradients (null until a backward pass reaches it).
    /// Parameters accumulate over backward passes until zeroed (<see cref="ZeroGrad"/> or an optimizer's ZeroGrad).
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            if (Owner is not null) throw new InvalidOperationException("Gradients of graph results are internal; read gradients of leaves.");
            if (GradData is null) return null;
            return _gradView ??= new Tensor(GradData, 0, Rows, Cols, Rank);
        }
    }

    /// <summary>Sets the gradient of this leaf to zero (keeps its storage).</summary>
    public void ZeroGrad()
    {
        if (GradData is not null) Array.Clear(GradData, 0, Length);
    }

    /// <summary>Shape as text, e.g. <c>[256, 50]</c> or <c>[50]</c>.</summary>
    public string ShapeString => Rank == 1 ? $"[{Cols}]" : $"[{Rows}, {Cols}]";

    /// <summary>Whether this tensor has the same rank, rows and columns as <paramref name="other"/>.</summary>
    public bool SameShape(Tensor other) => Rank == other.Rank && Rows == other.Rows && Cols == other.Cols;

    /// <summary>A new leaf with a copy of the values (no gradient).</summary>
    public Tensor Clone()
    {
        var t = new Tensor(new float[Length], 0, Rows, Cols, Rank);
        Span.CopyTo(t.Data);
        return t;
    }

    /// <summary>A copy of the values, row-major.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>Copies values from <paramref name="source"/>, which must have <see cref="Length"/> elements.</summary>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Length) throw new ArgumentException($"Expected {Length} values, got {source.Length}.", nameof(source));
        source.CopyTo(Span);
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeString}";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Index(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            throw new IndexOutOfRangeException($"({row}, {col}) is outside {ShapeString}.");
        return row * Cols + col;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnsureAlive()
    {
        if (Owner is not null && Owner.Generation != Generation) ThrowStale();
    }

    private static void ThrowStale() =>
        throw new InvalidOperationException("This tensor belonged to an earlier pass of its graph (the graph was reset since). Copy values you keep with ToArray() or Clone().");

    /// <summary>Contiguous values without liveness checks (kernels).</summary>
    internal Span<float> Raw => Data.AsSpan(Offset, Rows * Cols);
}
