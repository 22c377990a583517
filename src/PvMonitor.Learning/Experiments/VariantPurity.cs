namespace PvMonitor.Learning.Experiments;

/// <summary>How well a cluster-aware model's clusters match the true conditions when it was trained with no labels.</summary>
/// <param name="Model">Model (a cagem variant).</param>
/// <param name="Values">Cluster purity on the test rows, one value per seed (0–1; see <see cref="VariantExperiment.ClusterPurity"/>).</param>
public sealed record VariantPurity(string Model, IReadOnlyList<double> Values)
{
    /// <summary>Mean purity.</summary>
    public double Mean => SeriesStatistics.Mean(Values);

    /// <summary>Sample standard deviation of the purity.</summary>
    public double Std => SeriesStatistics.Std(Values);
}
