namespace PvMonitor.Learning.Experiments;

/// <summary>What the numbers of an <c>experiment variants</c> run favour.</summary>
/// <param name="BestModel">The model kind with the highest accuracy averaged over every input set and label budget.</param>
/// <param name="BestModelAccuracy">That average (0–1).</param>
/// <param name="BestScore">The anomaly score with the highest AUROC averaged over every model and run that has it, or null without AUROC runs.</param>
/// <param name="BestScoreAuroc">That average, or NaN.</param>
/// <param name="BestScoreModel">The model kind whose <paramref name="BestScore"/> AUROC is highest, or null.</param>
public sealed record VariantRecommendation(string BestModel, double BestModelAccuracy, string? BestScore, double BestScoreAuroc, string? BestScoreModel)
{
    /// <summary>Computes the recommendation from the accuracy and AUROC cells (ties: the earlier in list order wins).</summary>
    /// <exception cref="ArgumentException">No accuracy cells.</exception>
    public static VariantRecommendation From(IReadOnlyList<VariantAccuracy> accuracy, IReadOnlyList<VariantAuroc> auroc)
    {
        if (accuracy.Count == 0) throw new ArgumentException("No accuracy results to recommend from.", nameof(accuracy));
        var models = accuracy.Select(a => a.Model).Distinct().Select(m => (Model: m, Mean: SeriesStatistics.Mean(accuracy.Where(a => a.Model == m).Select(a => a.Mean).ToArray())));
        var best = models.Aggregate((a, b) => Better(b.Mean, a.Mean) ? b : a);
        if (auroc.Count == 0) return new VariantRecommendation(best.Model, best.Mean, null, double.NaN, null);
        var scores = auroc.Select(a => a.Score).Distinct().Select(s => (Score: s, Mean: SeriesStatistics.Mean(auroc.Where(a => a.Score == s).SelectMany(a => a.Aurocs).ToArray())));
        var bestScore = scores.Aggregate((a, b) => Better(b.Mean, a.Mean) ? b : a);
        var bestPair = auroc.Where(a => a.Score == bestScore.Score).Aggregate((a, b) => Better(b.Mean, a.Mean) ? b : a);
        return new VariantRecommendation(best.Model, best.Mean, bestScore.Score, bestScore.Mean, bestPair.Model);
    }

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="incumbent"/>; NaN (no runs) never wins.</summary>
    private static bool Better(double candidate, double incumbent) => !double.IsNaN(candidate) && (double.IsNaN(incumbent) || candidate > incumbent);
}
