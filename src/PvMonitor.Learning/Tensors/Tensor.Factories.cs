namespace PvMonitor.Learning.Tensors;

public sealed partial class Tensor
{
    /// <summary>A <paramref name="rows"/> × <paramref name="cols"/> leaf of zeros.</summary>
    public static Tensor Zeros(int rows, int cols)
    {
        CheckShape(rows, cols);
        return new Tensor(new float[rows * cols], 0, rows, cols, 2);
    }

    /// <summary>A vector (rank 1) of <paramref name="length"/> zeros.</summary>
    public static Tensor Zeros(int length)
    {
        CheckShape(1, length);
        return new Tensor(new float[length], 0, 1, length, 1);
    }

    /// <summary>A matrix filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int rows, int cols, float value)
    {
        var t = Zeros(rows, cols);
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A vector filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int length, float value)
    {
        var t = Zeros(length);
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public static Tensor FromArray(float[] data, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(rows, cols);
        if (data.Length != rows * cols) throw new ArgumentException($"Expected {rows * cols} values for [{rows}, {cols}], got {data.Length}.", nameof(data));
        return new Tensor(data, 0, rows, cols, 2);
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a vector.</summary>
    public static Tensor FromArray(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Tensor(data, 0, 1, data.Length, 1);
    }

    /// <summary>A matrix with a copy of <paramref name="values"/>.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, int rows, int cols) => FromArray(values.ToArray(), rows, cols);

    /// <summary>A matrix from a rectangular array.</summary>
    public static Tensor FromRows(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var t = Zeros(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                t.Data[i * cols + j] = values[i, j];
        return t;
    }

    /// <summary>A trainable matrix leaf (<see cref="RequiresGrad"/> on), zero-initialised.</summary>
    public static Tensor Parameter(int rows, int cols)
    {
        var t = Zeros(rows, cols);
        t._requiresGrad = true;
        return t;
    }

    /// <summary>A trainable vector leaf (<see cref="RequiresGrad"/> on), zero-initialised.</summary>
    public static Tensor Parameter(int length)
    {
        var t = Zeros(length);
        t._requiresGrad = true;
        return t;
    }

    /// <summary>A matrix of independent N(<paramref name="mean"/>, <paramref name="std"/>²) draws.</summary>
    public static Tensor Normal(RandomSource random, int rows, int cols, float mean = 0f, float std = 1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Zeros(rows, cols);
        random.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>A matrix of independent U[<paramref name="low"/>, <paramref name="high"/>) draws.</summary>
    public static Tensor Uniform(RandomSource random, int rows, int cols, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Zeros(rows, cols);
        random.FillUniform(t.Data, low, high);
        return t;
    }

    internal static void CheckShape(int rows, int cols)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"Shape [{rows}, {cols}] has a negative dimension.");
        if ((long)rows * cols > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(rows), $"Shape [{rows}, {cols}] is too large.");
    }
}
