namespace PvMonitor.Learning.Evaluation;

/// <summary>Percentiles and the area under the ROC curve.</summary>
public static class RankStatistics
{
    /// <summary>The <paramref name="p"/>-th percentile (0–100) with linear interpolation between order statistics (NumPy's default).</summary>
    /// <exception cref="ArgumentException">No values, or p outside [0, 100].</exception>
    public static double Percentile(ReadOnlySpan<float> values, double p)
    {
        if (values.IsEmpty) throw new ArgumentException("Percentile of no values.", nameof(values));
        if (p is < 0 or > 100 || double.IsNaN(p)) throw new ArgumentException($"p = {p} must be in [0, 100].", nameof(p));
        var sorted = values.ToArray();
        Array.Sort(sorted);
        double pos = p / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// AUROC of <paramref name="score"/> for separating positives (higher score = more positive) from negatives:
    /// the probability that a random positive outranks a random negative, ties counting one half (Mann–Whitney U).
    /// Returns NaN when either group is empty.
    /// </summary>
    public static double Auroc(ReadOnlySpan<float> score, ReadOnlySpan<bool> positive)
    {
        if (score.Length != positive.Length) throw new ArgumentException("score and positive differ in length.", nameof(positive));
        int n = score.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = score.ToArray();
        Array.Sort(keys, order);
        double rankSumPos = 0;
        long nPos = 0;
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start]) end++;
            double avgRank = (start + end) / 2.0 + 1; // 1-based ranks, ties share the average
            for (int j = start; j <= end; j++)
                if (positive[order[j]])
                {
                    rankSumPos += avgRank;
                    nPos++;
                }

            start = end + 1;
        }

        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) return double.NaN;
        return (rankSumPos - nPos * (nPos + 1) / 2.0) / ((double)nPos * nNeg);
    }
}
