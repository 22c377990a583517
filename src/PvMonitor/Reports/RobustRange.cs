namespace PvMonitor.Reports;

/// <summary>Percentiles and Tukey whiskers, for figure ranges that one outlier cannot flatten.</summary>
internal static class RobustRange
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile (0–100) of the finite values, interpolated linearly between order
    /// statistics (NumPy's default); NaN when there are none.
    /// </summary>
    public static double Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = Sorted(values);
        return sorted.Length == 0 ? double.NaN : PercentileOfSorted(sorted, percent);
    }

    /// <summary>Like <see cref="Percentile"/> on values already sorted ascending (all finite, at least one).</summary>
    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double percent)
    {
        double rank = Math.Clamp(percent, 0, 100) / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }

    /// <summary>
    /// The whiskers of a box plot: the lowest and highest values within <paramref name="k"/> (default 1.5) interquartile
    /// ranges of the quartiles. Equals the data's minimum and maximum when nothing lies beyond; (NaN, NaN) for no finite values.
    /// </summary>
    public static (double Low, double High) Whiskers(IEnumerable<double> values, double k = 1.5)
    {
        var sorted = Sorted(values);
        if (sorted.Length == 0) return (double.NaN, double.NaN);
        double q1 = PercentileOfSorted(sorted, 25), q3 = PercentileOfSorted(sorted, 75), reach = k * (q3 - q1);
        double low = sorted.First(v => v >= q1 - reach), high = sorted.Last(v => v <= q3 + reach);
        return (low, high);
    }

    /// <summary>The finite values, sorted ascending.</summary>
    public static double[] Sorted(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
