namespace PvMonitor.Learning.Experiments;

/// <summary>Test accuracy of one model kind on one input set at one label budget, one value per seed.</summary>
/// <param name="Model">Model kind (e.g. <c>sdgm</c>).</param>
/// <param name="Features"><c>simple</c> (I, V) or <c>complex</c> (I, V, G, TExt, TMod, W).</param>
/// <param name="Labels">Labels per class: a number, or <c>all</c>.</param>
/// <param name="Accuracies">Accuracy on the seed's 20 % test split (0–1), one per seed.</param>
public sealed record VariantAccuracy(string Model, string Features, string Labels, IReadOnlyList<double> Accuracies)
{
    /// <summary>Mean accuracy over seeds (0–1).</summary>
    public double Mean => SeriesStatistics.Mean(Accuracies);

    /// <summary>Sample standard deviation over seeds (0 for one seed).</summary>
    public double Std => SeriesStatistics.Std(Accuracies);
}
