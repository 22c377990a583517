namespace PvMonitor.Learning.Data;

/// <summary>Per-feature standardisation z = (x − mean) / std, fitted on training data and stored with a model.</summary>
public sealed class Standardizer
{
    /// <summary>The smallest standard deviation used (a constant feature is centred, not blown up).</summary>
    public const float MinStd = 1e-6f;

    /// <summary>Creates a standardiser from stored statistics.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or a std is not positive and finite.</exception>
    public Standardizer(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length != std.Length) throw new ArgumentException($"mean has {mean.Length} values but std has {std.Length}.", nameof(std));
        for (int i = 0; i < std.Length; i++)
        {
            if (!(std[i] > 0) || !float.IsFinite(std[i])) throw new ArgumentException($"std[{i}] = {std[i]} must be positive and finite.", nameof(std));
            if (!float.IsFinite(mean[i])) throw new ArgumentException($"mean[{i}] = {mean[i]} must be finite.", nameof(mean));
        }

        Mean = mean;
        Std = std;
    }

    /// <summary>Feature means.</summary>
    public float[] Mean { get; }

    /// <summary>Feature standard deviations (≥ <see cref="MinStd"/>).</summary>
    public float[] Std { get; }

    /// <summary>Number of features.</summary>
    public int Count => Mean.Length;

    /// <summary>Fits mean and (population) standard deviation per column of a row-major matrix, in double precision.</summary>
    public static Standardizer Fit(ReadOnlySpan<float> features, int rows, int cols)
    {
        if (rows <= 0) throw new ArgumentException("Cannot fit a standardiser on zero rows.", nameof(rows));
        var sum = new double[cols];
        var sumSq = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            var row = features.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++)
            {
                sum[c] += row[c];
                sumSq[c] += (double)row[c] * row[c];
            }
        }

        var mean = new float[cols];
        var std = new float[cols];
        for (int c = 0; c < cols; c++)
        {
            double m = sum[c] / rows;
            double v = Math.Max(0, sumSq[c] / rows - m * m);
            mean[c] = (float)m;
            std[c] = (float)Math.Max(Math.Sqrt(v), MinStd);
        }

        return new Standardizer(mean, std);
    }

    /// <summary>
    /// Fits a robust scaler: the median per column as centre and the interquartile range / 1.349 as scale (equal to the
    /// standard deviation for a normal distribution, but not pulled by heavy tails such as irradiance spikes, sensor
    /// glitches or a few fault episodes). A column whose interquartile range is zero falls back to its standard deviation.
    /// </summary>
    public static Standardizer FitRobust(ReadOnlySpan<float> features, int rows, int cols)
    {
        var standard = Fit(features, rows, cols);
        var column = new float[rows];
        var centre = new float[cols];
        var scale = new float[cols];
        for (int c = 0; c < cols; c++)
        {
            for (int r = 0; r < rows; r++) column[r] = features[r * cols + c];
            Array.Sort(column);
            centre[c] = Quantile(column, 0.5);
            double iqr = Quantile(column, 0.75) - Quantile(column, 0.25);
            scale[c] = iqr / 1.349 > MinStd ? (float)(iqr / 1.349) : standard.Std[c];
        }

        return new Standardizer(centre, scale);
    }

    private static float Quantile(float[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return (float)(sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Writes standardised values of <paramref name="source"/> (row-major, <see cref="Count"/> columns) into <paramref name="destination"/>.</summary>
    public void Transform(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than source.", nameof(destination));
        if (source.Length % Count != 0) throw new ArgumentException($"source length {source.Length} is not a multiple of {Count} features.", nameof(source));
        int cols = Count;
        for (int i = 0; i < source.Length; i += cols)
            for (int c = 0; c < cols; c++)
                destination[i + c] = (source[i + c] - Mean[c]) / Std[c];
    }
}
