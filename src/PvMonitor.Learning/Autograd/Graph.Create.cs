using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>A constant <paramref name="rows"/> × <paramref name="cols"/> input holding a copy of <paramref name="values"/> (pooled).</summary>
    public Tensor Input(ReadOnlySpan<float> values, int rows, int cols)
    {
        if (values.Length != rows * cols) throw new ArgumentException($"Expected {rows * cols} values for [{rows}, {cols}], got {values.Length}.", nameof(values));
        var t = NewNode(OpCode.Constant, rows, cols, 2, false);
        values.CopyTo(t.Raw);
        return t;
    }

    /// <summary>A constant matrix of zeros (pooled).</summary>
    public Tensor Zeros(int rows, int cols) => Full(rows, cols, 0f);

    /// <summary>A constant matrix filled with <paramref name="value"/> (pooled).</summary>
    public Tensor Full(int rows, int cols, float value)
    {
        var t = NewNode(OpCode.Constant, rows, cols, 2, false);
        t.Raw.Fill(value);
        return t;
    }

    /// <summary>A constant 1 × 1 tensor.</summary>
    public Tensor Scalar(float value) => Full(1, 1, value);

    /// <summary>A constant matrix of N(0, 1) draws from <paramref name="random"/> (pooled).</summary>
    public Tensor Normal(RandomSource random, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = NewNode(OpCode.Constant, rows, cols, 2, false);
        random.FillNormal(t.Raw);
        return t;
    }

    /// <summary>A constant matrix of U[0, 1) draws from <paramref name="random"/> (pooled).</summary>
    public Tensor Uniform(RandomSource random, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = NewNode(OpCode.Constant, rows, cols, 2, false);
        random.FillUniform(t.Raw);
        return t;
    }

    /// <summary>One-hot rows: row i has a 1 in column <paramref name="labels"/>[i] (0 ≤ label &lt; <paramref name="classes"/>).</summary>
    public Tensor OneHot(ReadOnlySpan<int> labels, int classes)
    {
        var t = NewNode(OpCode.Constant, labels.Length, classes, 2, false);
        var d = t.Raw;
        d.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            CheckLabel(labels[i], classes);
            d[i * classes + labels[i]] = 1f;
        }

        return t;
    }

    /// <summary>
    /// One-hot rows enumerating every class for every batch row: a (<paramref name="batch"/>·K) × K matrix whose row
    /// b·K + k is one-hot(k). Pairs with <see cref="RepeatRows"/>(x, K), which puts copy k of row b at row b·K + k.
    /// </summary>
    public Tensor EnumerateClasses(int batch, int classes)
    {
        var t = NewNode(OpCode.Constant, batch * classes, classes, 2, false);
        var d = t.Raw;
        d.Clear();
        for (int r = 0; r < batch * classes; r++) d[r * classes + r % classes] = 1f;
        return t;
    }

    private static void CheckLabel(int label, int classes)
    {
        if ((uint)label >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(label), $"Label {label} is outside [0, {classes}).");
    }
}
