namespace PvMonitor.Learning.Experiments;

/// <summary>Mean and sample standard deviation of repeated measurements (over seeds, held-out conditions, runs).</summary>
internal static class SeriesStatistics
{
    /// <summary>Mean of the finite values (NaN when there are none).</summary>
    public static double Mean(IReadOnlyList<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            sum += v;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Sample standard deviation (n − 1) of the finite values; 0 for fewer than two.</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length < 2) return 0;
        double m = finite.Average();
        return Math.Sqrt(finite.Sum(v => (v - m) * (v - m)) / (finite.Length - 1));
    }
}
