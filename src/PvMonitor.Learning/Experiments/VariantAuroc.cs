namespace PvMonitor.Learning.Experiments;

/// <summary>
/// How well one anomaly score of one model kind separates a condition held out of training from the known ones: the AUROC
/// of −score (lower score = more anomalous), one value per (seed, held-out condition).
/// </summary>
/// <param name="Model">Model kind.</param>
/// <param name="Score">Anomaly score name (<c>elbo</c>, <c>iw-elbo</c>, <c>lk</c>).</param>
/// <param name="HeldOut">The held-out condition of each value, in the order of <paramref name="Aurocs"/>.</param>
/// <param name="Aurocs">AUROC (0–1; 0.5 = chance) per run.</param>
public sealed record VariantAuroc(string Model, string Score, IReadOnlyList<string> HeldOut, IReadOnlyList<double> Aurocs)
{
    /// <summary>Mean AUROC over seeds and held-out conditions.</summary>
    public double Mean => SeriesStatistics.Mean(Aurocs);

    /// <summary>Sample standard deviation over seeds and held-out conditions.</summary>
    public double Std => SeriesStatistics.Std(Aurocs);

    /// <summary>Mean AUROC of the runs that held out <paramref name="condition"/> (NaN when none did).</summary>
    public double MeanFor(string condition) =>
        SeriesStatistics.Mean(Aurocs.Where((_, i) => HeldOut[i] == condition).ToArray());
}
