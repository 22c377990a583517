namespace PvMonitor.Reports;

/// <summary>
/// Equal-width histogram bins over a robust range plus two overflow bins: values below <see cref="Edges"/>[0] and above
/// <see cref="Edges"/>[^1] are counted in <see cref="Count"/>'s first and last entries instead of stretching the axis.
/// </summary>
internal sealed record HistogramBins(IReadOnlyList<double> Edges)
{
    /// <summary>The number of regular bins (the overflow bins not included).</summary>
    public int Bins => Edges.Count - 1;

    /// <summary>
    /// Freedman–Diaconis bins (width 2·IQR·n^(−1/3)) over the 1st–99th percentile of the finite values, widened to at most
    /// <paramref name="maxBins"/> (default 60) bins; with <paramref name="niceEdges"/> the width is rounded up to 1, 2, 2.5 or 5 × 10^k
    /// and the edges are its multiples.
    /// </summary>
    public static HistogramBins FreedmanDiaconis(IEnumerable<double> values, int maxBins = 60, bool niceEdges = true)
    {
        var sorted = RobustRange.Sorted(values);
        if (sorted.Length == 0) return new HistogramBins([0.0, 1.0]);
        double low = RobustRange.PercentileOfSorted(sorted, 1), high = RobustRange.PercentileOfSorted(sorted, 99);
        if (high <= low)
        {
            double half = low == 0 ? 0.5 : Math.Abs(low) * 0.05;
            return new HistogramBins([low - half, low + half]);
        }

        double iqr = RobustRange.PercentileOfSorted(sorted, 75) - RobustRange.PercentileOfSorted(sorted, 25);
        double width = iqr > 0 ? 2 * iqr / Math.Cbrt(sorted.Length) : (high - low) / 10;
        width = Math.Max(width, (high - low) / maxBins);
        if (!niceEdges)
        {
            int n = Math.Max(1, (int)Math.Ceiling((high - low) / width - 1e-9));
            return new HistogramBins(Enumerable.Range(0, n + 1).Select(i => low + (high - low) * i / n).ToArray());
        }

        for (width = AxisScale.NiceAtLeast(width); ; width = AxisScale.NiceAtLeast(width * 1.0001))
        {
            double first = Math.Floor(low / width + 1e-9), last = Math.Ceiling(high / width - 1e-9);
            if (last - first <= maxBins)
                return new HistogramBins(Enumerable.Range(0, (int)(last - first) + 1).Select(i => Math.Round((first + i) * width, 10)).ToArray());
        }
    }

    /// <summary>Counts per bin: [below the first edge, bin 1, …, bin n, above the last edge]; the last bin includes its upper edge; non-finite values are skipped.</summary>
    public int[] Count(IEnumerable<double> values)
    {
        var counts = new int[Bins + 2];
        double low = Edges[0], high = Edges[^1];
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            if (v < low) counts[0]++;
            else if (v > high) counts[^1]++;
            else counts[1 + Math.Min(Bins - 1, UpperBound(v))]++;
        }

        return counts;
    }

    /// <summary>The index of the bin holding <paramref name="v"/> (within the edges): the last edge ≤ v.</summary>
    private int UpperBound(double v)
    {
        int lo = 0, hi = Edges.Count - 1;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            if (Edges[mid] <= v) lo = mid;
            else hi = mid;
        }

        return lo;
    }
}
